namespace AotNet;

/// <summary>
/// Integer labels or indices: the targets of <see cref="F.CrossEntropy(Tensor, Labels, Tensor?, int, string, float)"/> (one per sample), and the
/// index tensors of <see cref="F.Gather"/> and <see cref="F.IndexSelect"/>, which may have any rank.
/// </summary>
public sealed class Labels
{
    readonly int[] _storage;
    readonly int[] _shape;

    /// <summary>Wraps <paramref name="storage"/> without copying; the first <paramref name="length"/> entries are used.</summary>
    public Labels(int[] storage, int length)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if ((uint)length > (uint)storage.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Length {length} must be between 0 and the storage size {storage.Length}.");
        }
        _storage = storage;
        _shape = [length];
        Length = length;
    }

    /// <summary>Wraps <paramref name="storage"/> without copying.</summary>
    public Labels(params int[] storage)
        : this(storage, storage?.Length ?? 0)
    {
    }

    /// <summary>
    /// Wraps <paramref name="storage"/> without copying, as indices of shape <paramref name="shape"/>
    /// (row-major, like a <see cref="Tensor"/>); the first elements of the storage are used.
    /// </summary>
    public Labels(int[] storage, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(storage);
        int length = Shapes.CheckedLength(shape, nameof(shape));
        if (length > storage.Length)
        {
            throw new ArgumentException($"Storage of {storage.Length} elements is too small for shape {Shapes.Format(shape)}, which needs {length}.", nameof(storage));
        }
        _storage = storage;
        _shape = shape.ToArray();
        Length = length;
    }

    /// <summary>
    /// A view of the same storage with another shape of the same length; one size may be −1, taken
    /// from the others: <c>y.View(-1)</c> flattens [B, T] targets to match <c>logits.View(-1, V)</c>.
    /// </summary>
    public Labels Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape = Shapes.Resolved(shape, Length, nameof(shape));
        int length = Shapes.CheckedLength(shape, nameof(shape));
        if (length != Length)
        {
            throw new ArgumentException($"Cannot reshape labels {ShapeText} ({Length} elements) to {Shapes.Format(shape)} ({length} elements).", nameof(shape));
        }
        return new Labels(_storage, shape);
    }

    /// <summary>The same as <see cref="Reshape"/>, PyTorch's name for it.</summary>
    public Labels View(params int[] shape) => Reshape(shape);

    /// <summary>Every label in one axis.</summary>
    public Labels Flatten() => Reshape(-1);

    /// <summary>The number of labels (every element, for indices of rank above 1).</summary>
    public int Length { get; }

    /// <summary>The number of axes: 1 for class labels.</summary>
    public int Rank => _shape.Length;

    /// <summary>The shape, <c>[Length]</c> for class labels.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The size of axis <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[Shapes.NormalizeAxis(axis, _shape.Length, nameof(axis))];

    /// <summary>The labels.</summary>
    public Span<int> Span => _storage.AsSpan(0, Length);

    /// <summary>The label at <paramref name="index"/>.</summary>
    public int this[int index]
    {
        get => Span[index];
        set => Span[index] = value;
    }

    /// <summary>The shape as text, such as <c>[64]</c>.</summary>
    public string ShapeText => Shapes.Format(_shape);
}
