namespace AotNet;

/// <summary>Integer class labels, one per sample: the targets of <see cref="F.CrossEntropy"/>.</summary>
public sealed class Labels
{
    readonly int[] _storage;

    /// <summary>Wraps <paramref name="storage"/> without copying; the first <paramref name="length"/> entries are used.</summary>
    public Labels(int[] storage, int length)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if ((uint)length > (uint)storage.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Length {length} must be between 0 and the storage size {storage.Length}.");
        }
        _storage = storage;
        Length = length;
    }

    /// <summary>Wraps <paramref name="storage"/> without copying.</summary>
    public Labels(params int[] storage)
        : this(storage, storage?.Length ?? 0)
    {
    }

    /// <summary>The number of labels.</summary>
    public int Length { get; }

    /// <summary>The labels.</summary>
    public Span<int> Span => _storage.AsSpan(0, Length);

    /// <summary>The label at <paramref name="index"/>.</summary>
    public int this[int index]
    {
        get => Span[index];
        set => Span[index] = value;
    }

    /// <summary>The shape as text, such as <c>[64]</c>.</summary>
    public string ShapeText => Shapes.Format([Length]);
}
