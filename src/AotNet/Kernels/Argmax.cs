namespace AotNet.Kernels;

/// <summary>The index of the largest value along one axis, as PyTorch's <c>torch.argmax</c>.</summary>
public static class Argmax
{
    /// <summary>
    /// For x viewed as [outer, size, inner], writes to <paramref name="indices"/> [outer, inner] the index along the
    /// middle axis of the largest value: the first on ties, and NaN counts as larger than any number (the first NaN wins).
    /// </summary>
    public static void Apply(ReadOnlySpan<float> x, int outer, int size, int inner, Span<int> indices)
    {
        if (size <= 0)
        {
            throw new ArgumentException($"Argmax over an axis of size {size}: there is no largest value.", nameof(size));
        }
        if (x.Length < outer * size * inner || indices.Length < outer * inner)
        {
            throw new ArgumentException($"Argmax: x holds {x.Length} values and indices {indices.Length}, but [{outer}, {size}, {inner}] needs {outer * size * inner} and {outer * inner}.", nameof(x));
        }
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = (o * size * inner) + i;
                float best = x[start];
                int index = 0;
                for (int k = 1; k < size && !float.IsNaN(best); k++)
                {
                    float v = x[start + (k * inner)];
                    if (v > best || float.IsNaN(v))
                    {
                        best = v;
                        index = k;
                    }
                }
                indices[(o * inner) + i] = index;
            }
        }
    }
}
