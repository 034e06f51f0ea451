namespace AotNet.Kernels;

/// <summary>Copies equal blocks between strided rows: the kernel of concat and narrow.</summary>
public static class Blocks
{
    /// <summary>
    /// For each of <paramref name="rows"/> rows, copies <paramref name="width"/> elements from
    /// <c>source[r·sourceStride + sourceOffset]</c> to <c>destination[r·destinationStride + destinationOffset]</c>.
    /// </summary>
    public static void Copy(ReadOnlySpan<float> source, int sourceStride, int sourceOffset, Span<float> destination, int destinationStride, int destinationOffset, int rows, int width)
    {
        if (rows > 0 && width > 0 && ((long)(rows - 1) * sourceStride + sourceOffset + width > source.Length || (long)(rows - 1) * destinationStride + destinationOffset + width > destination.Length))
        {
            throw new ArgumentException($"Blocks.Copy: {rows} rows of {width} do not fit spans of {source.Length} and {destination.Length} elements.");
        }
        for (int r = 0; r < rows; r++)
        {
            source.Slice(r * sourceStride + sourceOffset, width).CopyTo(destination.Slice(r * destinationStride + destinationOffset, width));
        }
    }
}
