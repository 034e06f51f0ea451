using System.Numerics.Tensors;

namespace AotNet.Kernels;

/// <summary>Softmax and log-softmax over one axis: row-wise over a [rows, cols] matrix, or strided over [outer, axis, inner].</summary>
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
            // (x − max) − log Σ, as PyTorch rounds it: x − max is exact, so large logits keep their digits.
            TensorPrimitives.Subtract(xr, max, yr);
            TensorPrimitives.Subtract(yr, (float)Math.Log(sum), yr);
        }
    }

    /// <summary><c>y[r,:] = exp(x[r,:] - max) / Σ exp(x[r,:] - max)</c>, the sum in double.</summary>
    public static void SoftmaxRows(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
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
                double e = Math.Exp(xr[c] - max);
                yr[c] = (float)e;
                sum += e;
            }
            TensorPrimitives.Multiply(yr, (float)(1 / sum), yr);
        }
    }

    /// <summary>
    /// Softmax (or, when <paramref name="log"/>, log-softmax) over the middle axis of <paramref name="x"/>
    /// viewed as [outer, axis, inner], for an axis that is not the last: each of the outer · inner lines
    /// is read with stride <paramref name="inner"/>, its maximum subtracted first, the sum in double.
    /// </summary>
    public static void SoftmaxAxis(ReadOnlySpan<float> x, Span<float> y, int outer, int axis, int inner, bool log)
    {
        RequireLength(x.Length, outer, axis * inner, nameof(x));
        RequireLength(y.Length, outer, axis * inner, nameof(y));
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = (o * axis * inner) + i;
                float max = float.NegativeInfinity;
                for (int c = 0; c < axis; c++)
                {
                    max = Math.Max(max, x[start + (c * inner)]);
                }
                double sum = 0;
                for (int c = 0; c < axis; c++)
                {
                    sum += Math.Exp(x[start + (c * inner)] - max);
                }
                if (log)
                {
                    float logSum = (float)Math.Log(sum);
                    for (int c = 0; c < axis; c++)
                    {
                        y[start + (c * inner)] = (x[start + (c * inner)] - max) - logSum;
                    }
                }
                else
                {
                    for (int c = 0; c < axis; c++)
                    {
                        y[start + (c * inner)] = (float)(Math.Exp(x[start + (c * inner)] - max) / sum);
                    }
                }
            }
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
