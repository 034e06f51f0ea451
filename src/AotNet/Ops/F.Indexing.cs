namespace AotNet;

/// <summary>Strided slices, splitting into pieces, gathers and index selects.</summary>
public static partial class F
{
    /// <summary>
    /// Positions <paramref name="start"/>, start + step, … before <paramref name="end"/> of axis
    /// <paramref name="dim"/>, like PyTorch's <c>x[..., start:end:step]</c>: negative positions count
    /// from the end, and both are clamped to the axis as Python clamps a slice (the defaults take the
    /// whole axis). <paramref name="step"/> must be at least 1. Copies.
    /// </summary>
    public static Tensor Slice(Tensor x, int dim, int start = 0, int end = int.MaxValue, int step = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        int axis = Shapes.NormalizeAxis(dim, x.Rank, nameof(dim));
        if (step < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Slice: step must be at least 1.");
        }
        int size = x.Dim(axis);
        var (first, length) = SliceRange(size, start, end, step);
        var shape = x.Shape.ToArray();
        shape[axis] = length;
        var result = new Tensor(shape);
        var (rows, inner) = RowsAndInner(shape, axis);
        Kernels.Indexing.Slice(x.Span, result.Span, rows, size, inner, first, step, length);
        return result;
    }

    /// <summary>The first position and the count of a Python slice <c>start:end:step</c> of an axis of <paramref name="size"/>.</summary>
    static (int Start, int Length) SliceRange(int size, int start, int end, int step)
    {
        long Clamp(long position) => Math.Clamp(position < 0 ? position + size : position, 0, size);
        long first = Clamp(start), last = Clamp(end);
        long length = last > first ? (last - first + step - 1) / step : 0;
        return ((int)(length == 0 ? 0 : first), (int)length);
    }

    /// <summary>
    /// Axis <paramref name="dim"/> cut into pieces of <paramref name="splitSize"/>, the last one smaller
    /// if the size does not divide, like <c>torch.split(x, split_size, dim)</c>. Each piece is a copy.
    /// </summary>
    public static Tensor[] Split(Tensor x, int splitSize, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        int axis = Shapes.NormalizeAxis(dim, x.Rank, nameof(dim));
        int size = x.Dim(axis);
        if (splitSize < 1 && !(splitSize == 0 && size == 0))
        {
            throw new ArgumentOutOfRangeException(nameof(splitSize), splitSize, "Split: the size of a piece must be at least 1.");
        }
        int count = size == 0 ? 1 : (size + splitSize - 1) / splitSize;
        var pieces = new Tensor[count];
        for (int k = 0; k < count; k++)
        {
            int start = k * splitSize;
            pieces[k] = Narrow(x, axis, start, Math.Min(splitSize, size - start));
        }
        return pieces;
    }

    /// <summary>
    /// Axis <paramref name="dim"/> cut into pieces of the given <paramref name="sizes"/>, which must add up
    /// to the axis, like <c>torch.split(x, [s0, s1, …], dim)</c>. Each piece is a copy.
    /// </summary>
    public static Tensor[] Split(Tensor x, int[] sizes, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(sizes);
        int axis = Shapes.NormalizeAxis(dim, x.Rank, nameof(dim));
        long total = 0;
        foreach (int size in sizes)
        {
            if (size < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(sizes), $"Split: sizes {Shapes.Format(sizes)} must not be negative.");
            }
            total += size;
        }
        if (total != x.Dim(axis))
        {
            throw new ArgumentException($"Split: sizes {Shapes.Format(sizes)} add up to {total}, but axis {axis} of {x.ShapeText} has {x.Dim(axis)}.", nameof(sizes));
        }
        var pieces = new Tensor[sizes.Length];
        int start = 0;
        for (int k = 0; k < sizes.Length; k++)
        {
            pieces[k] = Narrow(x, axis, start, sizes[k]);
            start += sizes[k];
        }
        return pieces;
    }

    /// <summary>
    /// Axis <paramref name="dim"/> cut into <paramref name="chunks"/> pieces of ⌈size / chunks⌉, the last
    /// one smaller, like <c>torch.chunk</c>; as there, there may be fewer pieces than asked for
    /// (a size of 5 in 4 chunks gives pieces of 2, 2 and 1). Each piece is a copy.
    /// </summary>
    public static Tensor[] Chunk(Tensor x, int chunks, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (chunks < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunks), chunks, "Chunk: the number of chunks must be at least 1.");
        }
        int axis = Shapes.NormalizeAxis(dim, x.Rank, nameof(dim));
        int size = x.Dim(axis);
        return Split(x, size == 0 ? 0 : (size + chunks - 1) / chunks, axis);
    }

    /// <summary>
    /// Values of <paramref name="x"/> picked along axis <paramref name="dim"/> by <paramref name="index"/>,
    /// like <c>torch.gather</c>: <c>out[i][j][k] = x[index[i][j][k]][j][k]</c> for dim 0. The index has
    /// x's rank and is no larger than x on the other axes; the result has the index's shape.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index outside the axis, naming <paramref name="index"/>.</exception>
    public static Tensor Gather(Tensor x, int dim, Labels index)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(index);
        int axis = Shapes.NormalizeAxis(dim, x.Rank, nameof(dim));
        var result = new Tensor(index.Shape.ToArray());
        Kernels.Indexing.Gather(x.Span, x.Shape, axis, index.Span, index.Shape, result.Span, nameof(index));
        return result;
    }

    /// <summary>
    /// The positions <paramref name="index"/> (one axis of indices, repeats allowed) of axis
    /// <paramref name="dim"/>, in that order, like <c>torch.index_select</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index outside the axis, naming <paramref name="index"/>.</exception>
    public static Tensor IndexSelect(Tensor x, int dim, Labels index)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(index);
        int axis = Shapes.NormalizeAxis(dim, x.Rank, nameof(dim));
        if (index.Rank != 1)
        {
            throw new ArgumentException($"IndexSelect needs one axis of indices; got {index.ShapeText}.", nameof(index));
        }
        var shape = x.Shape.ToArray();
        shape[axis] = index.Length;
        var result = new Tensor(shape);
        var (rows, inner) = RowsAndInner(shape, axis);
        Kernels.Indexing.IndexSelect(x.Span, index.Span, result.Span, rows, x.Dim(axis), inner, nameof(index));
        return result;
    }

    /// <summary>
    /// The rows of <paramref name="weight"/> [rows, dim] listed by <paramref name="input"/>, giving
    /// <c>input.shape + [dim]</c>, like <c>torch.nn.functional.embedding</c>. The row
    /// <paramref name="paddingIndex"/> (negative counts from the end) gets no gradient in a training step.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index outside the table, naming <paramref name="input"/>; or a padding index outside it.</exception>
    public static Tensor Embedding(Labels input, Tensor weight, int? paddingIndex = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
        {
            throw new ArgumentException($"Embedding needs a table [rows, dim]; got {weight.ShapeText}.", nameof(weight));
        }
        if (paddingIndex is int padding && (padding >= weight.Dim(0) || padding < -weight.Dim(0)))
        {
            throw new ArgumentOutOfRangeException(nameof(paddingIndex), padding, $"The padding index must be a row of the table, which has {weight.Dim(0)}.");
        }
        var result = new Tensor([.. input.Shape, weight.Dim(1)]);
        Kernels.Indexing.IndexSelect(weight.Span, input.Span, result.Span, 1, weight.Dim(0), weight.Dim(1), nameof(input));
        return result;
    }

    static (int Rows, int Inner) RowsAndInner(int[] shape, int axis)
    {
        int rows = 1, inner = 1;
        for (int k = 0; k < axis; k++)
        {
            rows *= shape[k];
        }
        for (int k = axis + 1; k < shape.Length; k++)
        {
            inner *= shape[k];
        }
        return (rows, inner);
    }
}
