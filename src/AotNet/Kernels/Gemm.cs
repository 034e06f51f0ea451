namespace AotNet.Kernels;

/// <summary>
/// Single-precision matrix multiply over row-major, contiguous matrices:
/// <c>C = op(A)·op(B) + beta·C + bias</c>, then an optional activation.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// Computes <c>C[m,n] = act(op(A)·op(B) + beta·C + bias)</c>. A is stored as [m,k], or as
    /// [k,m] when <paramref name="transposeA"/>; B is stored as [k,n], or as [n,k] when
    /// <paramref name="transposeB"/>. <paramref name="bias"/>, when not empty, has n entries
    /// added to every row.
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<float> a, bool transposeA,
        ReadOnlySpan<float> b, bool transposeB,
        Span<float> c, int m, int n, int k,
        float beta = 0f, ReadOnlySpan<float> bias = default, Activation activation = Activation.None)
    {
        GemmArguments.Validate(a, b, c, m, n, k, bias);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[p * m + i] : a[i * k + p];
                    float bv = transposeB ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                }
                float value = sum + (beta == 0f ? 0f : beta * c[i * n + j]) + (bias.IsEmpty ? 0f : bias[j]);
                c[i * n + j] = activation == Activation.Relu && value < 0f ? 0f : value;
            }
        }
    }
}
