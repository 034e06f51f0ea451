namespace AotNet.Kernels;

/// <summary>
/// Strided slices, gathers and index selects, and their gradients: the kernels of <c>F.Slice</c>,
/// <c>F.Gather</c> and <c>F.IndexSelect</c>, shared by the eager ops and generated code. A tensor
/// is seen as [rows, size, inner] around the indexed axis. An index outside the axis throws an
/// <see cref="ArgumentOutOfRangeException"/> that names the index argument; nothing is read out of bounds.
/// </summary>
public static class Indexing
{
    /// <summary><c>y[r, k, i] = x[r, start + k·step, i]</c> for k below <paramref name="length"/>.</summary>
    public static void Slice(ReadOnlySpan<float> x, Span<float> y, int rows, int size, int inner, int start, int step, int length)
    {
        RequireSlice(x.Length, y.Length, rows, size, inner, start, step, length);
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < length; k++)
            {
                x.Slice(((r * size) + start + (k * step)) * inner, inner).CopyTo(y.Slice(((r * length) + k) * inner, inner));
            }
        }
    }

    /// <summary>The gradient of <see cref="Slice"/>: <paramref name="dx"/> is zero except at the sliced positions, which hold <paramref name="dy"/>.</summary>
    public static void SliceBackward(ReadOnlySpan<float> dy, Span<float> dx, int rows, int size, int inner, int start, int step, int length)
    {
        RequireSlice(dx.Length, dy.Length, rows, size, inner, start, step, length);
        dx.Clear();
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < length; k++)
            {
                dy.Slice(((r * length) + k) * inner, inner).CopyTo(dx.Slice(((r * size) + start + (k * step)) * inner, inner));
            }
        }
    }

    /// <summary><c>y[r, k, i] = x[r, index[k], i]</c>, like <c>torch.index_select</c>.</summary>
    public static void IndexSelect(ReadOnlySpan<float> x, ReadOnlySpan<int> index, Span<float> y, int rows, int size, int inner, string indexName)
    {
        RequireSelect(x.Length, y.Length, index, rows, size, inner, indexName);
        int count = index.Length;
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < count; k++)
            {
                x.Slice(((r * size) + index[k]) * inner, inner).CopyTo(y.Slice(((r * count) + k) * inner, inner));
            }
        }
    }

    /// <summary>The gradient of <see cref="IndexSelect"/>: <c>dx[r, index[k], i] += dy[r, k, i]</c> into zeros (an index add).</summary>
    public static void IndexAdd(ReadOnlySpan<float> dy, ReadOnlySpan<int> index, Span<float> dx, int rows, int size, int inner, string indexName)
    {
        RequireSelect(dx.Length, dy.Length, index, rows, size, inner, indexName);
        dx.Clear();
        int count = index.Length;
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < count; k++)
            {
                var source = dy.Slice(((r * count) + k) * inner, inner);
                var target = dx.Slice(((r * size) + index[k]) * inner, inner);
                for (int i = 0; i < inner; i++)
                {
                    target[i] += source[i];
                }
            }
        }
    }

    /// <summary>
    /// <c>y[p] = x[p with axis <paramref name="axis"/> replaced by index[p]]</c> over every position p of
    /// <paramref name="index"/>, like <c>torch.gather</c>: the index has x's rank, and on every other axis
    /// it is no larger than x.
    /// </summary>
    public static void Gather(ReadOnlySpan<float> x, ReadOnlySpan<int> xShape, int axis, ReadOnlySpan<int> index, ReadOnlySpan<int> indexShape, Span<float> y, string indexName)
    {
        RequireGather(x.Length, xShape, axis, index.Length, indexShape, y.Length, indexName);
        int rank = xShape.Length;
        Span<int> coordinate = stackalloc int[rank];
        coordinate.Clear();
        for (int p = 0; p < index.Length; p++)
        {
            y[p] = x[SourceOffset(coordinate, xShape, axis, index[p], p, indexName)];
            Advance(coordinate, indexShape);
        }
    }

    /// <summary>The gradient of <see cref="Gather"/>: <c>dx[p with axis replaced by index[p]] += dy[p]</c> into zeros (a scatter add).</summary>
    public static void ScatterAdd(ReadOnlySpan<float> dy, ReadOnlySpan<int> index, ReadOnlySpan<int> indexShape, Span<float> dx, ReadOnlySpan<int> xShape, int axis, string indexName)
    {
        RequireGather(dx.Length, xShape, axis, index.Length, indexShape, dy.Length, indexName);
        dx.Clear();
        int rank = xShape.Length;
        Span<int> coordinate = stackalloc int[rank];
        coordinate.Clear();
        for (int p = 0; p < index.Length; p++)
        {
            dx[SourceOffset(coordinate, xShape, axis, index[p], p, indexName)] += dy[p];
            Advance(coordinate, indexShape);
        }
    }

    static int SourceOffset(ReadOnlySpan<int> coordinate, ReadOnlySpan<int> xShape, int axis, int value, int position, string indexName)
    {
        if ((uint)value >= (uint)xShape[axis])
        {
            throw OutOfRange(indexName, value, position, axis, xShape[axis]);
        }
        int offset = 0;
        for (int k = 0; k < xShape.Length; k++)
        {
            offset = (offset * xShape[k]) + (k == axis ? value : coordinate[k]);
        }
        return offset;
    }

    static void Advance(Span<int> coordinate, ReadOnlySpan<int> shape)
    {
        for (int k = shape.Length - 1; k >= 0; k--)
        {
            if (++coordinate[k] < shape[k])
            {
                return;
            }
            coordinate[k] = 0;
        }
    }

    static ArgumentOutOfRangeException OutOfRange(string indexName, int value, int position, int axis, int size) =>
        new(indexName, value, $"{indexName}: index {value} at position {position} is out of range for {(axis < 0 ? "the selected axis" : $"axis {axis}")} of size {size}; indices must be in [0, {size}).");

    static void RequireSlice(int full, int sliced, int rows, int size, int inner, int start, int step, int length)
    {
        if (rows < 0 || size < 0 || inner < 0 || length < 0 || step < 1 || (length > 0 && (start < 0 || start + ((long)(length - 1) * step) >= size))
            || (long)rows * size * inner != full || (long)rows * length * inner != sliced)
        {
            throw new ArgumentException($"Indexing.Slice: positions {start} + k·{step} for k < {length} of [{rows}, {size}, {inner}] do not fit spans of {full} and {sliced} elements.");
        }
    }

    static void RequireSelect(int full, int selected, ReadOnlySpan<int> index, int rows, int size, int inner, string indexName)
    {
        if (rows < 0 || size < 0 || inner < 0 || (long)rows * size * inner != full || (long)rows * index.Length * inner != selected)
        {
            throw new ArgumentException($"Indexing.IndexSelect: [{rows}, {size}, {inner}] and {index.Length} indices do not fit spans of {full} and {selected} elements.");
        }
        for (int k = 0; k < index.Length; k++)
        {
            if ((uint)index[k] >= (uint)size)
            {
                throw OutOfRange(indexName, index[k], k, -1, size);
            }
        }
    }

    static void RequireGather(int full, ReadOnlySpan<int> xShape, int axis, int indexLength, ReadOnlySpan<int> indexShape, int gathered, string indexName)
    {
        bool fits = xShape.Length == indexShape.Length && (uint)axis < (uint)xShape.Length
            && Shapes.CheckedLength(xShape, nameof(xShape)) == full && Shapes.CheckedLength(indexShape, nameof(indexShape)) == indexLength && indexLength == gathered;
        for (int k = 0; fits && k < xShape.Length; k++)
        {
            fits = k == axis || indexShape[k] <= xShape[k];
        }
        if (!fits)
        {
            throw new ArgumentException(
                $"Gather: {indexName} of shape {Shapes.Format(indexShape)} does not fit {Shapes.Format(xShape)} along axis {axis}; it needs the same rank and no larger size on the other axes.", indexName);
        }
    }
}
