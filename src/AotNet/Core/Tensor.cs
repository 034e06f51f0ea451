using System.Globalization;
using System.Text;

namespace AotNet;

/// <summary>
/// A dense float32 tensor: a row-major, contiguous view of a shape over a storage array.
/// Eager ops allocate their results; generated code works in place on planned buffers.
/// </summary>
public sealed class Tensor
{
    readonly float[] _storage;
    readonly int[] _shape;

    /// <summary>A zero-filled tensor of the given shape.</summary>
    public Tensor(params int[] shape)
        : this(new float[Shapes.CheckedLength(shape, nameof(shape))], shape)
    {
    }

    /// <summary>
    /// Wraps <paramref name="storage"/> without copying. Its first <c>product(shape)</c> elements
    /// are the tensor, in row-major order.
    /// </summary>
    public Tensor(float[] storage, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(storage);
        int length = Shapes.CheckedLength(shape, nameof(shape));
        if (storage.Length < length)
        {
            throw new ArgumentException(
                $"Storage of {storage.Length} elements is too small for shape {Shapes.Format(shape)}, which needs {length}.",
                nameof(storage));
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
    public Span<float> Span => _storage.AsSpan(0, Length);

    /// <summary>The storage array, which may be longer than <see cref="Length"/>.</summary>
    public float[] Storage => _storage;

    /// <summary>The size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis)
    {
        int resolved = axis < 0 ? axis + Rank : axis;
        if ((uint)resolved >= (uint)Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for a tensor of shape {ShapeText}.");
        }
        return _shape[resolved];
    }

    /// <summary>The shape as text, such as <c>[64, 784]</c>.</summary>
    public string ShapeText => Shapes.Format(_shape);

    /// <summary>The element at a flat, row-major index.</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[int index]
    {
        get => Span[index];
        set => Span[index] = value;
    }

    /// <summary>The element at row <paramref name="row"/>, column <paramref name="column"/> of a matrix.</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[int row, int column]
    {
        get => Span[FlatIndex2(row, column)];
        set => Span[FlatIndex2(row, column)] = value;
    }

    /// <summary>A scalar tensor (rank 0).</summary>
    public static Tensor Scalar(float value) => new([value]);

    /// <summary>A tensor that copies <paramref name="values"/> into the given shape.</summary>
    public static Tensor FromArray(float[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        int length = Shapes.CheckedLength(shape, nameof(shape));
        if (values.Length != length)
        {
            throw new ArgumentException(
                $"{values.Length} values cannot fill shape {Shapes.Format(shape)}, which holds {length}.", nameof(values));
        }
        return new Tensor((float[])values.Clone(), shape);
    }

    /// <summary>A tensor of the given shape filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var tensor = new Tensor(shape);
        tensor.Span.Fill(value);
        return tensor;
    }

    /// <summary>The value of a tensor with exactly one element.</summary>
    public float Item()
    {
        if (Length != 1)
        {
            throw new InvalidOperationException($"Item() needs a tensor with one element; this one has shape {ShapeText}.");
        }
        return _storage[0];
    }

    /// <summary>A view of the same storage with another shape of the same length; one size may be −1, taken from the others.</summary>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape = Shapes.Resolved(shape, Length, nameof(shape));
        int length = Shapes.CheckedLength(shape, nameof(shape));
        if (length != Length)
        {
            throw new ArgumentException(
                $"Cannot reshape {ShapeText} ({Length} elements) to {Shapes.Format(shape)} ({length} elements).", nameof(shape));
        }
        return new Tensor(_storage, shape);
    }

    /// <summary>The same as <see cref="Reshape"/>, PyTorch's name for it: a view, since tensors are contiguous.</summary>
    public Tensor View(params int[] shape) => Reshape(shape);

    /// <summary>Axes <paramref name="startDim"/> to <paramref name="endDim"/> merged into one (<see cref="F.Flatten"/>).</summary>
    public Tensor Flatten(int startDim = 1, int endDim = -1) => F.Flatten(this, startDim, endDim);

    /// <summary><paramref name="value"/> where <paramref name="mask"/> holds, else this tensor's values (<see cref="F.MaskedFill"/>).</summary>
    public Tensor MaskedFill(Mask mask, float value) => F.MaskedFill(this, mask, value);

    /// <summary>Axes <paramref name="dim0"/> and <paramref name="dim1"/> swapped (<see cref="F.Transpose"/>); a copy.</summary>
    public Tensor Transpose(int dim0, int dim1) => F.Transpose(this, dim0, dim1);

    /// <summary>The axes reordered (<see cref="F.Permute"/>); a copy.</summary>
    public Tensor Permute(params int[] dims) => F.Permute(this, dims);

    /// <summary>Positions <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> of axis <paramref name="dim"/> (<see cref="F.Narrow"/>); a copy.</summary>
    public Tensor Narrow(int dim, int start, int length) => F.Narrow(this, dim, start, length);

    /// <summary>Like <see cref="F.Slice"/>: <c>x[..., start:end:step]</c> along axis <paramref name="dim"/>.</summary>
    public Tensor Slice(int dim, int start = 0, int end = int.MaxValue, int step = 1) => F.Slice(this, dim, start, end, step);

    /// <summary>Like <see cref="F.Split(Tensor, int, int)"/>: pieces of <paramref name="splitSize"/> along axis <paramref name="dim"/>.</summary>
    public Tensor[] Split(int splitSize, int dim = 0) => F.Split(this, splitSize, dim);

    /// <summary>Like <see cref="F.Split(Tensor, int[], int)"/>: pieces of the given sizes along axis <paramref name="dim"/>.</summary>
    public Tensor[] Split(int[] sizes, int dim = 0) => F.Split(this, sizes, dim);

    /// <summary>Like <see cref="F.Chunk"/>: <paramref name="chunks"/> pieces along axis <paramref name="dim"/>.</summary>
    public Tensor[] Chunk(int chunks, int dim = 0) => F.Chunk(this, chunks, dim);

    /// <summary>Like <see cref="F.Gather"/>.</summary>
    public Tensor Gather(int dim, Labels index) => F.Gather(this, dim, index);

    /// <summary>Like <see cref="F.IndexSelect"/>.</summary>
    public Tensor IndexSelect(int dim, Labels index) => F.IndexSelect(this, dim, index);

    /// <summary>This tensor broadcast to <paramref name="shape"/> (<see cref="F.Expand"/>); a copy.</summary>
    public Tensor Expand(params int[] shape) => F.Expand(this, shape);

    /// <summary>Axis <paramref name="dim"/> removed when its size is 1 (<see cref="F.Squeeze"/>).</summary>
    public Tensor Squeeze(int dim) => F.Squeeze(this, dim);

    /// <summary>A new axis of size 1 at <paramref name="dim"/> (<see cref="F.Unsqueeze"/>).</summary>
    public Tensor Unsqueeze(int dim) => F.Unsqueeze(this, dim);

    /// <summary>A deep copy.</summary>
    public Tensor Clone() => new(Span.ToArray(), _shape);

    /// <summary>Copies the elements of <paramref name="source"/>, which must have the same shape.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Shapes.RequireSame(this, source, nameof(source));
        source.Span.CopyTo(Span);
    }

    /// <summary>The elements as a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("Tensor").Append(ShapeText).Append(" {");
        int shown = Math.Min(Length, 8);
        for (int i = 0; i < shown; i++)
        {
            text.Append(i == 0 ? " " : ", ").Append(_storage[i].ToString("G6", CultureInfo.InvariantCulture));
        }
        if (Length > shown)
        {
            text.Append(", ...");
        }
        return text.Append(" }").ToString();
    }

    int FlatIndex2(int row, int column)
    {
        if (Rank != 2)
        {
            throw new InvalidOperationException($"Two indices need a matrix; this tensor has shape {ShapeText}.");
        }
        if ((uint)row >= (uint)_shape[0] || (uint)column >= (uint)_shape[1])
        {
            throw new IndexOutOfRangeException($"Index [{row}, {column}] is outside shape {ShapeText}.");
        }
        return row * _shape[1] + column;
    }

    /// <summary>Elementwise sum with NumPy broadcasting; see <see cref="F.Add"/>.</summary>
    public static Tensor operator +(Tensor left, Tensor right) => F.Add(left, right);

    /// <summary>Elementwise difference with NumPy broadcasting; see <see cref="F.Sub"/>.</summary>
    public static Tensor operator -(Tensor left, Tensor right) => F.Sub(left, right);

    /// <summary>Elementwise product with NumPy broadcasting; see <see cref="F.Mul"/>.</summary>
    public static Tensor operator *(Tensor left, Tensor right) => F.Mul(left, right);

    /// <summary>Elementwise quotient with NumPy broadcasting; see <see cref="F.Div"/>.</summary>
    public static Tensor operator /(Tensor left, Tensor right) => F.Div(left, right);

    /// <summary>Elementwise negation; see <see cref="F.Neg"/>.</summary>
    public static Tensor operator -(Tensor x) => F.Neg(x);

    /// <summary>Adds a scalar to every element, as PyTorch's <c>x + 1.0</c>.</summary>
    public static Tensor operator +(Tensor left, float right) => F.Add(left, Scalar(right));

    /// <summary>Adds every element to a scalar, as PyTorch's <c>1.0 + x</c>.</summary>
    public static Tensor operator +(float left, Tensor right) => F.Add(Scalar(left), right);

    /// <summary>Subtracts a scalar from every element.</summary>
    public static Tensor operator -(Tensor left, float right) => F.Sub(left, Scalar(right));

    /// <summary>Subtracts every element from a scalar, as PyTorch's <c>1.0 - x</c>.</summary>
    public static Tensor operator -(float left, Tensor right) => F.Sub(Scalar(left), right);

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(Tensor left, float right) => F.Mul(left, Scalar(right));

    /// <summary>Multiplies a scalar by every element.</summary>
    public static Tensor operator *(float left, Tensor right) => F.Mul(Scalar(left), right);

    /// <summary>Divides every element by a scalar.</summary>
    public static Tensor operator /(Tensor left, float right) => F.Div(left, Scalar(right));

    /// <summary>Divides a scalar by every element, as PyTorch's <c>1.0 / x</c>.</summary>
    public static Tensor operator /(float left, Tensor right) => F.Div(Scalar(left), right);
}
