using static AotNet.F;

namespace AotNet.Generators.Tests.Models;

/// <summary>Add, Sub and Mul with NumPy broadcasting, as F calls and as Tensor operators.</summary>
public sealed partial class BroadcastModel
{
    [Differentiable]
    public Tensor AddRow([Shape("N", 5)] Tensor a, [Shape(5)] Tensor row) => Add(a, row);

    [Differentiable]
    public Tensor AddRowLoss([RequiresGrad, Shape("N", 5)] Tensor a, [RequiresGrad, Shape(5)] Tensor row, [Shape("N", 5)] Tensor w) =>
        Sum(Mul(Add(a, row), w));

    [Differentiable]
    public Tensor SubColumnLoss([RequiresGrad, Shape("N", 1)] Tensor col, [RequiresGrad, Shape("N", 5)] Tensor a, [Shape("N", 5)] Tensor w) =>
        Sum(Mul(Sub(col, a), w));

    [Differentiable]
    public Tensor SubRowLoss([RequiresGrad, Shape("N", 5)] Tensor a, [RequiresGrad, Shape(1, 5)] Tensor row, [Shape("N", 5)] Tensor w) =>
        Sum(Mul(Sub(a, row), w));

    [Differentiable]
    public Tensor Outer([Shape("N", 1)] Tensor col, [Shape(1, 5)] Tensor row) => Mul(col, row);

    [Differentiable]
    public Tensor MulOuterLoss([RequiresGrad, Shape("N", 1)] Tensor col, [RequiresGrad, Shape(1, 5)] Tensor row, [Shape("N", 5)] Tensor w) =>
        Sum(Mul(Mul(col, row), w));

    [Differentiable]
    public Tensor MulSameShapeLoss([RequiresGrad, Shape("N", 5)] Tensor a, [RequiresGrad, Shape("N", 5)] Tensor b) => Sum(Mul(a, b));

    [Differentiable]
    public Tensor Operators([Shape("N", 5)] Tensor a, [Shape(5)] Tensor row, [Shape("N", 1)] Tensor col) => (a + row) * (col - a);

    [Differentiable]
    public Tensor OperatorsLoss([RequiresGrad, Shape("N", 5)] Tensor a, [RequiresGrad, Shape(5)] Tensor row, [RequiresGrad, Shape("N", 1)] Tensor col, [Shape("N", 5)] Tensor w) =>
        Sum(Operators(a, row, col) * w);
}
