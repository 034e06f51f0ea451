namespace AotNet.Kernels;

/// <summary>Argument checks shared by the GEMM entry points, so a wrong size fails loudly instead of reading past a buffer.</summary>
static class GemmArguments
{
    public static void Validate(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, ReadOnlySpan<float> bias)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentException($"GEMM sizes must not be negative; got m={m}, n={n}, k={k}.");
        }
        if (a.Length < (long)m * k)
        {
            throw new ArgumentException($"GEMM: A holds {a.Length} elements, but m·k = {m}·{k} = {(long)m * k} are needed.", nameof(a));
        }
        if (b.Length < (long)k * n)
        {
            throw new ArgumentException($"GEMM: B holds {b.Length} elements, but k·n = {k}·{n} = {(long)k * n} are needed.", nameof(b));
        }
        if (c.Length < (long)m * n)
        {
            throw new ArgumentException($"GEMM: C holds {c.Length} elements, but m·n = {m}·{n} = {(long)m * n} are needed.", nameof(c));
        }
        if (!bias.IsEmpty && bias.Length < n)
        {
            throw new ArgumentException($"GEMM: the bias holds {bias.Length} elements, but n = {n} are needed.", nameof(bias));
        }
    }
}
