using AotNet.Kernels;

namespace AotNet.Tests.Kernels;

/// <summary>The textbook triple loop, accumulated in double, that the fast GEMM is checked against.</summary>
static class GemmReference
{
    public static float[] Multiply(
        float[] a, bool transposeA, float[] b, bool transposeB, float[] c, int m, int n, int k,
        float beta, float[]? bias, Activation activation)
    {
        var result = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transposeA ? a[p * m + i] : a[i * k + p];
                    double bv = transposeB ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                }
                if (beta != 0f)
                {
                    sum += beta * (double)c[i * n + j];
                }
                if (bias is not null)
                {
                    sum += bias[j];
                }
                if (activation == Activation.Relu && sum < 0)
                {
                    sum = 0;
                }
                result[i * n + j] = (float)sum;
            }
        }
        return result;
    }

    /// <summary>
    /// Sum of |terms| for each output, the scale against which float rounding is judged: a
    /// result near zero from large cancelling terms may still carry an absolute error near 1e-6·scale.
    /// </summary>
    public static double[] Magnitude(
        float[] a, bool transposeA, float[] b, bool transposeB, float[] c, int m, int n, int k, float beta, float[]? bias)
    {
        var result = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transposeA ? a[p * m + i] : a[i * k + p];
                    double bv = transposeB ? b[j * k + p] : b[p * n + j];
                    sum += Math.Abs(av * bv);
                }
                if (beta != 0f)
                {
                    sum += Math.Abs(beta * (double)c[i * n + j]);
                }
                if (bias is not null)
                {
                    sum += Math.Abs(bias[j]);
                }
                result[i * n + j] = sum;
            }
        }
        return result;
    }
}
