using AotNet.Kernels;

namespace AotNet.Tests.Kernels;

/// <summary><see cref="Softmax"/> against the textbook formulas, written as plain loops in double.</summary>
public class SoftmaxKernelTests
{
    const double Tolerance = 1e-5;

    [Theory]
    [InlineData(1, 1, 1f)]
    [InlineData(3, 5, 2f)]
    [InlineData(7, 10, 40f)]
    public void LogSoftmaxRowsMatchesNaiveLoops(int rows, int cols, float scale)
    {
        var x = KernelInputs.Uniform(rows * cols, seed: rows + cols, scale);
        var y = KernelInputs.Poisoned(rows * cols);

        Softmax.LogSoftmaxRows(x, y, rows, cols);

        KernelInputs.AssertClose(NaiveLogSoftmax(x, rows, cols), y, Tolerance, "log-softmax");
    }

    [Fact]
    public void LogSoftmaxRowsIsStableForLargeLogits()
    {
        float[] x = [1000f, 1001f, 999f, -1000f, -1001f, -999f];
        var y = new float[x.Length];

        Softmax.LogSoftmaxRows(x, y, 2, 3);

        KernelInputs.AssertClose(NaiveLogSoftmax(x, 2, 3), y, Tolerance, "log-softmax of large logits");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 6)]
    [InlineData(9, 3)]
    public void LogSoftmaxRowsBackwardMatchesNaiveLoops(int rows, int cols)
    {
        var y = ToFloat(NaiveLogSoftmax(KernelInputs.Uniform(rows * cols, seed: 3 * rows + cols, 3f), rows, cols));
        var dy = KernelInputs.Uniform(rows * cols, seed: rows * cols, 1.5f);
        var dx = KernelInputs.Poisoned(rows * cols);

        Softmax.LogSoftmaxRowsBackward(y, dy, dx, rows, cols);

        // dx[r,c] = dy[r,c] - softmax[r,c] · Σ_j dy[r,j], the Jacobian-vector product of log-softmax.
        var expected = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double total = 0;
            for (int c = 0; c < cols; c++)
            {
                total += dy[r * cols + c];
            }
            for (int c = 0; c < cols; c++)
            {
                expected[r * cols + c] = dy[r * cols + c] - Math.Exp(y[r * cols + c]) * total;
            }
        }
        KernelInputs.AssertClose(expected, dx, Tolerance, "log-softmax backward");
    }

    [Fact]
    public void ShortBuffersAreRefusedWithTheirName()
    {
        var error = Assert.Throws<ArgumentException>(() => Softmax.LogSoftmaxRows(new float[6], new float[5], 2, 3));
        Assert.Equal("y", error.ParamName);
    }

    internal static double[] NaiveLogSoftmax(float[] x, int rows, int cols)
    {
        var result = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < cols; c++)
            {
                max = Math.Max(max, x[r * cols + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++)
            {
                sum += Math.Exp(x[r * cols + c] - max);
            }
            for (int c = 0; c < cols; c++)
            {
                result[r * cols + c] = x[r * cols + c] - max - Math.Log(sum);
            }
        }
        return result;
    }

    internal static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);
}
