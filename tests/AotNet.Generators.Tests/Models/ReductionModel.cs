using static AotNet.F;

namespace AotNet.Generators.Tests.Models;

/// <summary>Sum and Mean over every element.</summary>
public sealed partial class ReductionModel
{
    [Differentiable]
    public Tensor SumLoss([RequiresGrad, Shape("N", 3)] Tensor x, [Shape("N", 3)] Tensor w) => Sum(Mul(Tanh(x), w));

    [Differentiable]
    public Tensor MeanLoss([RequiresGrad, Shape("N", 3)] Tensor x) => Mean(Mul(x, x));

    [Differentiable]
    public Tensor MeanOfSum([RequiresGrad, Shape("N", 3)] Tensor x, [Shape("N", 3)] Tensor w) => Mean(Add(x, w));
}
