namespace AotNet.Kernels;

/// <summary>
/// Dropout's mask. Each element is kept with probability 1 − p and then worth 1 / (1 − p), as in
/// PyTorch, so the expected value of <c>x ⊙ mask</c> is x. Elements are drawn in order from
/// <see cref="Rng.Default"/>, one float each, so the eager op and the generated step, started
/// from the same seed, drop the same elements.
/// </summary>
public static class DropoutMask
{
    /// <summary>Fills <paramref name="mask"/> for drop probability <paramref name="p"/>, strictly between 0 and 1.</summary>
    public static void Fill(Span<float> mask, float p)
    {
        if (!(p > 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A dropout mask needs a drop probability strictly between 0 and 1.");
        }
        var rng = Rng.Default;
        float kept = 1f / (1f - p);
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = rng.NextFloat() >= p ? kept : 0f;
        }
    }
}
