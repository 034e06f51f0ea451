using System.Numerics.Tensors;

namespace AotNet.Kernels;

/// <summary>Row-wise log-softmax and its backward, over a [rows, cols] matrix.</summary>
public static class Softmax
{
    /// <summary><c>y[r,:] = x[r,:] - max - log Σ exp(x[r,:] - max)</c>: stable for any input range.</summary>
    public static void LogSoftmaxRows(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        RequireLength(x.Length, rows, cols, nameof(x));
        RequireLength(y.Length, rows, cols, nameof(y));
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * cols, cols);
            var yr = y.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(xr);
            double sum = 0;
            for (int c = 0; c < cols; c++)
            {
                sum += Math.Exp(xr[c] - max);
            }
            TensorPrimitives.Subtract(xr, max + (float)Math.Log(sum), yr);
        }
    }

    /// <summary><c>dx = dy - softmax(x)·Σ dy</c>, where <paramref name="y"/> is the saved log-softmax output.</summary>
    public static void LogSoftmaxRowsBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        RequireLength(y.Length, rows, cols, nameof(y));
        RequireLength(dy.Length, rows, cols, nameof(dy));
        RequireLength(dx.Length, rows, cols, nameof(dx));
        for (int r = 0; r < rows; r++)
        {
            int offset = r * cols;
            float total = TensorPrimitives.Sum(dy.Slice(offset, cols));
            for (int c = 0; c < cols; c++)
            {
                dx[offset + c] = dy[offset + c] - MathF.Exp(y[offset + c]) * total;
            }
        }
    }

    internal static void RequireLength(int length, int rows, int cols, string name)
    {
        if (length < (long)rows * cols)
        {
            throw new ArgumentException($"{name} holds {length} elements, but [{rows}, {cols}] needs {(long)rows * cols}.", name);
        }
    }
}
