using System.Numerics.Tensors;

namespace AotNet.Kernels;

/// <summary>
/// GEMM for a handful of rows of C, such as batch-1 inference. Packing B costs more than the
/// product then, and a packed tile of 8 rows would be mostly padding, so each row is computed
/// straight from B's rows with vector dot products (B transposed) or vector multiply-adds.
/// B is streamed once for all rows.
/// </summary>
static class GemmSmallRows
{
    /// <summary>The most rows of C this path takes.</summary>
    public const int MaxRows = 4;

    /// <summary>C = act(A·op(B) + beta·C + bias) for A stored [m, k], m ≤ <see cref="MaxRows"/>.</summary>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool transposeB, Span<float> c,
        int m, int n, int k, float beta, ReadOnlySpan<float> bias, bool relu)
    {
        if (transposeB)
        {
            // B is [n, k]: column j of op(B) is row j of B, contiguous.
            for (int j = 0; j < n; j++)
            {
                var column = b.Slice(j * k, k);
                for (int i = 0; i < m; i++)
                {
                    float dot = TensorPrimitives.Dot(a.Slice(i * k, k), column);
                    c[i * n + j] = beta == 0f ? dot : dot + beta * c[i * n + j];
                }
            }
        }
        else
        {
            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * n, n);
                if (beta == 0f)
                {
                    row.Clear();
                }
                else
                {
                    TensorPrimitives.Multiply(row, beta, row);
                }
            }
            // B is [k, n]: C[i, :] += A[i, p] · B[p, :], one contiguous row of B at a time.
            for (int p = 0; p < k; p++)
            {
                var source = b.Slice(p * n, n);
                for (int i = 0; i < m; i++)
                {
                    var row = c.Slice(i * n, n);
                    TensorPrimitives.MultiplyAdd(source, a[i * k + p], row, row);
                }
            }
        }

        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * n, n);
            if (!bias.IsEmpty)
            {
                TensorPrimitives.Add(row, bias[..n], row);
            }
            if (relu)
            {
                // A comparison, as in the packed path's epilogue, so NaN passes through.
                foreach (ref float value in row)
                {
                    if (value < 0f)
                    {
                        value = 0f;
                    }
                }
            }
        }
    }
}
