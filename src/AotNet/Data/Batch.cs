namespace AotNet;

/// <summary>
/// One batch from a <see cref="DataLoader"/>: inputs [batch, ...] and their labels. Both are
/// buffers the loader reuses, valid until the loader moves to the next batch.
/// </summary>
/// <param name="X">The inputs, [batch, ...].</param>
/// <param name="Y">The labels, one per row of <paramref name="X"/>.</param>
public readonly record struct Batch(Tensor X, Labels Y)
{
    /// <summary>The number of samples in this batch.</summary>
    public int Count => Y.Length;
}
