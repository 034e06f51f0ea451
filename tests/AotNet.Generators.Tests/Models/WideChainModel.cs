using static AotNet.F;

namespace AotNet.Generators.Tests.Models;

/// <summary>
/// Elementwise chains wide enough that their fused loops pass ParallelLoop's threshold at a few
/// thousand rows: one a vector at a time (forward and backward), one kept scalar by a broadcast
/// operand (of fixed or symbolic width); <c>scale</c> is read into the loops from a field of the model.
/// </summary>
public sealed partial class WideChainModel : Module
{
    readonly float scale = 0.75f;

    [Shape(61)] public Parameter Shift { get; } = new(new Tensor(Enumerable.Range(0, 61).Select(i => (i % 7 - 3) * 0.1f).ToArray(), 61));

    [Differentiable]
    public Tensor Forward([Shape("N", 61)] Tensor x, [Shape("N", 61)] Tensor y) => Tanh(x * scale) * y + Sigmoid(x);

    [Differentiable]
    public Tensor Loss([RequiresGrad, Shape("N", 61)] Tensor x, [Shape("N", 61)] Tensor y) => Sum(Forward(x, y));

    /// <summary>A bias along columns whose count is a symbol: the loop reads it at <c>i % C</c>, so C is one of its fields.</summary>
    [Differentiable]
    public Tensor RowBiasLoss([RequiresGrad, Shape("N", "C")] Tensor x, [Shape("C")] Tensor bias) => Sum(Tanh(x + bias) * x);

    [Differentiable]
    public Tensor ShiftedLoss([RequiresGrad, Shape("N", 61)] Tensor x) => Mean(Relu(x + Shift) * x);
}
