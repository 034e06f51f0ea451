using static AotNet.F;

namespace AotNet.Generators.Tests.Models;

/// <summary>Relu, Tanh and Sigmoid, each weighted so every element's gradient differs.</summary>
public sealed partial class ActivationModel
{
    [Differentiable]
    public Tensor Activations([Shape("N", 6)] Tensor x) => Add(Add(Relu(x), Tanh(x)), Sigmoid(x));

    [Differentiable]
    public Tensor ReluLoss([RequiresGrad, Shape("N", 6)] Tensor x, [Shape("N", 6)] Tensor w) => Sum(Mul(Relu(x), w));

    [Differentiable]
    public Tensor TanhLoss([RequiresGrad, Shape("N", 6)] Tensor x, [Shape("N", 6)] Tensor w) => Sum(Mul(Tanh(x), w));

    [Differentiable]
    public Tensor SigmoidLoss([RequiresGrad, Shape("N", 6)] Tensor x, [Shape("N", 6)] Tensor w) => Sum(Mul(Sigmoid(x), w));
}
