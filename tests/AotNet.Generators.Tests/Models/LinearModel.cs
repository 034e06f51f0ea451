using static AotNet.F;

namespace AotNet.Generators.Tests.Models;

/// <summary>Linear layers with and without bias, and the functional F.Linear on a layer's parameters.</summary>
public sealed partial class LinearModel : Module
{
    readonly Linear withBias = new(5, 3, rng: new Rng(21));
    readonly Linear noBias = new(5, 3, bias: false, rng: new Rng(22));

    [Differentiable]
    public Tensor ForwardWithBias([Shape("N", 5)] Tensor x) => withBias.Forward(x);

    [Differentiable]
    public Tensor ForwardNoBias([Shape("N", 5)] Tensor x) => noBias.Forward(x);

    [Differentiable]
    public Tensor LossWithBias([RequiresGrad, Shape("N", 5)] Tensor x, [Shape("N", 3)] Tensor w) => Sum(Mul(ForwardWithBias(x), w));

    [Differentiable]
    public Tensor LossNoBias([RequiresGrad, Shape("N", 5)] Tensor x, [Shape("N", 3)] Tensor w) => Sum(Mul(ForwardNoBias(x), w));

    [Differentiable]
    public Tensor LossFunctional([RequiresGrad, Shape("N", 5)] Tensor x, [Shape("N", 3)] Tensor w) =>
        Sum(Mul(Linear(x, withBias.Weight, withBias.Bias!), w));

    [Differentiable]
    public Tensor LossFunctionalNoBias([RequiresGrad, Shape("N", 5)] Tensor x, [Shape("N", 3)] Tensor w) =>
        Sum(Mul(Linear(x, noBias.Weight), w));
}
