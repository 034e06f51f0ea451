using System.Text;

namespace AotNet;

/// <summary>
/// A dense boolean tensor: the result of a comparison such as <see cref="F.Greater"/>, and the
/// condition of <see cref="F.Where"/>. Row-major and contiguous, like <see cref="Tensor"/>. A mask
/// carries no gradient.
/// </summary>
public sealed class Mask
{
    readonly bool[] _storage;
    readonly int[] _shape;

    /// <summary>An all-false mask of the given shape.</summary>
    public Mask(params int[] shape)
        : this(new bool[Shapes.CheckedLength(shape, nameof(shape))], shape)
    {
    }

    /// <summary>Wraps <paramref name="storage"/> without copying; its first <c>product(shape)</c> elements are the mask.</summary>
    public Mask(bool[] storage, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(storage);
        int length = Shapes.CheckedLength(shape, nameof(shape));
        if (storage.Length < length)
        {
            throw new ArgumentException(
                $"Storage of {storage.Length} elements is too small for shape {Shapes.Format(shape)}, which needs {length}.", nameof(storage));
        }
        _storage = storage;
        _shape = (int[])shape.Clone();
        Length = length;
    }

    /// <summary>The dimensions, outermost first. A scalar has none.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>The elements in row-major order.</summary>
    public Span<bool> Span => _storage.AsSpan(0, Length);

    /// <summary>The shape as text, such as <c>[2, 3]</c>.</summary>
    public string ShapeText => Shapes.Format(_shape);

    /// <summary>The element at a flat, row-major index.</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public bool this[int index]
    {
        get => Span[index];
        set => Span[index] = value;
    }

    /// <summary>The mask as a float tensor of 1s and 0s, as PyTorch's <c>mask.float()</c>.</summary>
    public Tensor ToTensor()
    {
        var result = new Tensor(_shape);
        var source = Span;
        var destination = result.Span;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] ? 1f : 0f;
        }
        return result;
    }

    /// <summary>The elements as a new array.</summary>
    public bool[] ToArray() => Span.ToArray();

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("Mask").Append(ShapeText).Append(" {");
        int shown = Math.Min(Length, 8);
        for (int i = 0; i < shown; i++)
        {
            text.Append(i == 0 ? " " : ", ").Append(_storage[i] ? "true" : "false");
        }
        if (Length > shown)
        {
            text.Append(", ...");
        }
        return text.Append(" }").ToString();
    }
}
