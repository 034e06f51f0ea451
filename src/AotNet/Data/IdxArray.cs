namespace AotNet;

/// <summary>The contents of an IDX file of unsigned bytes: its dimensions and its data in row-major order.</summary>
public sealed class IdxArray
{
    readonly int[] _dimensions;

    /// <summary>Wraps <paramref name="data"/> without copying; its length must be the product of <paramref name="dimensions"/>.</summary>
    public IdxArray(int[] dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Length is 0 or > byte.MaxValue)
        {
            throw new ArgumentException($"An IDX array has 1 to 255 dimensions; got {dimensions.Length}.", nameof(dimensions));
        }
        int length = Shapes.CheckedLength(dimensions, nameof(dimensions));
        if (data.Length != length)
        {
            throw new ArgumentException(
                $"Dimensions {Shapes.Format(dimensions)} hold {length} bytes, but the data has {data.Length}.", nameof(data));
        }
        _dimensions = (int[])dimensions.Clone();
        Data = data;
    }

    /// <summary>The dimensions, outermost first, such as [60000, 28, 28].</summary>
    public ReadOnlySpan<int> Dimensions => _dimensions;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dimensions.Length;

    /// <summary>The values, row-major.</summary>
    public byte[] Data { get; }
}
