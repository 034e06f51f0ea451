namespace AotNet;

/// <summary>
/// Integer class labels, one per sample: the targets of <see cref="F.CrossEntropy(Tensor, Labels, Tensor?, int, string, float)"/>,
/// and what <see cref="F.Argmax"/> returns. Usually a vector [n]; [n, d1, …] for per-position labels.
/// </summary>
public sealed class Labels
{
    readonly int[] _storage;
    readonly int[]? _shape;
    readonly int[] _vector;

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
        _vector = [length];
    }

    /// <summary>Wraps <paramref name="storage"/> without copying.</summary>
    public Labels(params int[] storage)
        : this(storage, storage?.Length ?? 0)
    {
    }

    /// <summary>Wraps <paramref name="storage"/> without copying, as labels of shape <paramref name="shape"/>, such as [n, h, w].</summary>
    public Labels(int[] storage, int[] shape)
        : this(storage, Shapes.CheckedLength(shape ?? throw new ArgumentNullException(nameof(shape)), nameof(shape)))
    {
        _shape = shape.Length == 1 ? null : (int[])shape.Clone();
    }

    /// <summary>The number of labels.</summary>
    public int Length { get; }

    /// <summary>The number of axes: 1 for a vector of labels.</summary>
    public int Rank => _shape?.Length ?? 1;

    /// <summary>The shape: [<see cref="Length"/>], or the shape given.</summary>
    public ReadOnlySpan<int> Shape => _shape ?? _vector;

    /// <summary>The size of axis <paramref name="axis"/>.</summary>
    public int Dim(int axis) => _shape is null
        ? (axis == 0 ? Length : throw new ArgumentOutOfRangeException(nameof(axis), $"Labels {ShapeText} have one axis; got axis {axis}."))
        : (uint)axis < (uint)_shape.Length ? _shape[axis] : throw new ArgumentOutOfRangeException(nameof(axis), $"Labels {ShapeText} have {_shape.Length} axes; got axis {axis}.");

    /// <summary>The labels.</summary>
    public Span<int> Span => _storage.AsSpan(0, Length);

    /// <summary>The label at <paramref name="index"/>.</summary>
    public int this[int index]
    {
        get => Span[index];
        set => Span[index] = value;
    }

    /// <summary>The shape as text, such as <c>[64]</c>.</summary>
    public string ShapeText => _shape is null ? Shapes.Format([Length]) : Shapes.Format(_shape);
}
