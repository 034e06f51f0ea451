using AotNet.Compiled;
using AotNet.Generators.Emit;
using AotNet.Generators.Tests.Generation;
using AotNet.Generators.Tests.Models;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Execution;

/// <summary>
/// Fused loops long enough for <see cref="ParallelLoop"/> to split across cores: the generated
/// forward and backward against the eager method and the analytic gradient, and bit for bit
/// against the same loops run short, one slice of rows at a time, where they stay on one thread.
/// </summary>
public class SplitLoopTests
{
    /// <summary>2,047 rows of 61: 124,867 elements, split in pieces, the last ending in a scalar tail.</summary>
    const int Rows = 2047;

    const int Columns = 61;

    const double Tolerance = 1e-5;

    [Fact]
    public void TheLoopsAreLongEnoughToSplit() => Assert.True(Rows * Columns > ParallelLoop.Threshold);

    [Fact]
    public void GeneratorAndRuntimeSplitAtTheSameLength() => Assert.Equal(ParallelLoop.Threshold, StepEmitter.ParallelThreshold);

    [Fact]
    public void SplitForwardAndBackwardAgreeWithEagerAndTheAnalyticGradient()
    {
        var rng = new Rng(811);
        var (model, x, y) = (new WideChainModel(), TensorData.Uniform(rng, Rows, Columns), TensorData.Uniform(rng, Rows, Columns));
        var xGrad = TensorData.GradFor(x);

        Assert.True(TensorData.MaxRelativeDifference(model.ForwardCompiled(x, y), model.Forward(x, y)) <= Tolerance);
        float loss = model.LossStep(x, y, xGrad);
        Assert.True(Relative(loss, model.Loss(x, y).Item()) <= Tolerance, $"step loss {loss} vs eager {model.Loss(x, y).Item()}");
        var (xs, ys, gs) = (x.Span.ToArray(), y.Span.ToArray(), xGrad.Span.ToArray());
        for (int i = 0; i < xs.Length; i++)
        {
            double t = Math.Tanh(0.75 * xs[i]), s = 1 / (1 + Math.Exp(-xs[i]));
            double expected = 0.75 * (1 - t * t) * ys[i] + s * (1 - s);
            Assert.True(Math.Abs(gs[i] - expected) <= Tolerance * (1 + Math.Abs(expected)), $"∂loss/∂x[{i}] = {gs[i]}, expected {expected}");
        }
    }

    [Fact]
    public void ScalarSplitLoopsAgreeWithEagerAndTheAnalyticGradient()
    {
        var model = new WideChainModel();
        var x = TensorData.AwayFromZero(new Rng(812), Rows, Columns);
        var xGrad = TensorData.GradFor(x);
        float loss = model.ShiftedLossStep(x, xGrad);
        Assert.True(Relative(loss, model.ShiftedLoss(x).Item()) <= Tolerance, $"step loss {loss} vs eager {model.ShiftedLoss(x).Item()}");

        var (xs, gs, shift, shiftGrad) = (x.Span.ToArray(), xGrad.Span.ToArray(), model.Shift.Value.Span.ToArray(), model.Shift.Grad.Span.ToArray());
        double count = xs.Length;
        var expectedShift = new double[Columns];
        for (int i = 0; i < xs.Length; i++)
        {
            double h = xs[i] + shift[i % Columns];
            double mask = h > 0 ? 1 : 0;
            double expected = (mask * xs[i] + Math.Max(h, 0)) / count;
            expectedShift[i % Columns] += mask * xs[i] / count;
            Assert.True(Math.Abs(gs[i] - expected) <= Tolerance * Math.Abs(expected) + 1e-12, $"∂loss/∂x[{i}] = {gs[i]}, expected {expected}");
        }
        for (int c = 0; c < Columns; c++)
        {
            Assert.True(Math.Abs(shiftGrad[c] - expectedShift[c]) <= Tolerance * (Math.Abs(expectedShift[c]) + 1e-3), $"∂loss/∂shift[{c}] = {shiftGrad[c]}, expected {expectedShift[c]}");
        }
    }

    [Fact]
    public void SplitLoopOverASymbolicBroadcastAgreesWithTheAnalyticGradient()
    {
        var rng = new Rng(814);
        var (model, x, bias) = (new WideChainModel(), TensorData.Uniform(rng, Rows, Columns), TensorData.Uniform(rng, Columns));
        var xGrad = TensorData.GradFor(x);
        float loss = model.RowBiasLossStep(x, bias, xGrad);
        Assert.True(Relative(loss, model.RowBiasLoss(x, bias).Item()) <= Tolerance, $"step loss {loss} vs eager {model.RowBiasLoss(x, bias).Item()}");
        var (xs, bs, gs) = (x.Span.ToArray(), bias.Span.ToArray(), xGrad.Span.ToArray());
        for (int i = 0; i < xs.Length; i++)
        {
            double t = Math.Tanh(xs[i] + bs[i % Columns]);
            double expected = (1 - t * t) * xs[i] + t;
            Assert.True(Math.Abs(gs[i] - expected) <= Tolerance * (1 + Math.Abs(expected)), $"∂loss/∂x[{i}] = {gs[i]}, expected {expected}");
        }
    }

    [Fact]
    public void SplitLoopsGiveTheSameBitsAsShortOnes()
    {
        var rng = new Rng(813);
        var (model, x, y) = (new WideChainModel(), TensorData.Uniform(rng, Rows, Columns), TensorData.Uniform(rng, Rows, Columns));
        var xGrad = TensorData.GradFor(x);
        var forward = model.ForwardCompiled(x, y).ToArray();
        model.LossStep(x, y, xGrad);
        var gradient = xGrad.ToArray();
        // Accumulating adds into the gradient in every piece: g + g, exactly 2g.
        model.LossStep(x, y, xGrad, GradientWrite.Accumulate());
        var accumulated = xGrad.ToArray();

        // Slices of 16 rows (976 elements, whole vectors) stay inline; the last, of 15 rows, ends
        // in the same three-element scalar tail as the whole.
        for (int row = 0; row < Rows; row += 16)
        {
            int rows = Math.Min(16, Rows - row);
            var (xs, ys) = (Slice(x, row, rows), Slice(y, row, rows));
            var gs = TensorData.GradFor(xs);
            model.LossStep(xs, ys, gs);
            var forwardSlice = model.ForwardCompiled(xs, ys).ToArray();
            for (int k = 0; k < rows * Columns; k++)
            {
                int i = row * Columns + k;
                Assert.Equal(BitConverter.SingleToInt32Bits(forwardSlice[k]), BitConverter.SingleToInt32Bits(forward[i]));
                Assert.Equal(BitConverter.SingleToInt32Bits(gs.Span[k]), BitConverter.SingleToInt32Bits(gradient[i]));
                Assert.Equal(BitConverter.SingleToInt32Bits(2 * gs.Span[k]), BitConverter.SingleToInt32Bits(accumulated[i]));
            }
        }
    }

    [Fact]
    public void OnlyLoopsThatMayBeLongAreHandedToParallelLoop()
    {
        const string Source = """
            public sealed partial class Sizes
            {
                [Differentiable]
                public Tensor Symbolic([Shape("N", 8)] Tensor x) => Tanh(x) * x;

                [Differentiable]
                public Tensor Short([Shape(4, 8)] Tensor x) => Tanh(x) * x;

                [Differentiable]
                public Tensor Long([Shape(256, 256)] Tensor x) => Tanh(x) * x;

                [Differentiable]
                public Tensor Columns([Shape("N", "C")] Tensor x, [Shape("C")] Tensor b) => Tanh(x + b);
            }
            """;
        var files = SnapshotTests.GenerateClean(Source);
        Assert.Contains("global::AotNet.Compiled.ParallelLoop.For(N * 8, ref ", files["Sizes.Symbolic.g.cs"], StringComparison.Ordinal);
        Assert.Contains("global::AotNet.Compiled.ParallelLoop.For(65536, ref ", files["Sizes.Long.g.cs"], StringComparison.Ordinal);
        Assert.DoesNotContain("ParallelLoop", files["Sizes.Short.g.cs"], StringComparison.Ordinal);
        Assert.DoesNotContain("IElementLoop", files["Sizes.Short.g.cs"], StringComparison.Ordinal);
        // The loop reads b at i % C, so the struct holds C beside its spans.
        Assert.Contains("public int C;", files["Sizes.Columns.g.cs"], StringComparison.Ordinal);
        Assert.Contains("= new ColumnsCompiledResultValuesLoop { resultValues = resultValues, xValues = xValues, bValues = bValues, C = C };", files["Sizes.Columns.g.cs"], StringComparison.Ordinal);
    }

    static Tensor Slice(Tensor tensor, int row, int rows) => new(tensor.Span.Slice(row * Columns, rows * Columns).ToArray(), rows, Columns);

    static double Relative(double actual, double expected) => Math.Abs(actual - expected) / Math.Max(1, Math.Abs(expected));
}
