using System.Numerics.Tensors;

namespace AotNet;

/// <summary>An elementwise binary op in the three forms a broadcast row can take.</summary>
interface IBinaryOp
{
    static abstract void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);

    static abstract void Apply(ReadOnlySpan<float> x, float y, Span<float> destination);

    static abstract void Apply(float x, ReadOnlySpan<float> y, Span<float> destination);
}

readonly struct AddOp : IBinaryOp
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Add(x, y, destination);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Add(x, y, destination);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Add(y, x, destination);
}

readonly struct SubOp : IBinaryOp
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);
}

readonly struct MulOp : IBinaryOp
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Multiply(x, y, destination);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Multiply(x, y, destination);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Multiply(y, x, destination);
}

/// <summary>Eager elementwise binary ops with NumPy broadcasting.</summary>
static class Broadcasting
{
    /// <summary>
    /// Works one innermost row at a time: along the last axis each operand is either contiguous
    /// or a single repeated value, so every row is one vectorised call.
    /// </summary>
    public static Tensor Apply<TOp>(Tensor a, Tensor b, string op)
        where TOp : IBinaryOp
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int[] shape = Shapes.Broadcast(a.Shape, b.Shape, op);
        var result = new Tensor(shape);
        if (result.Length == 0)
        {
            return result;
        }
        if (a.Shape.SequenceEqual(b.Shape))
        {
            TOp.Apply(a.Span, b.Span, result.Span);
            return result;
        }
        int rank = shape.Length;
        int[] aStrides = BroadcastStrides(a.Shape, rank);
        int[] bStrides = BroadcastStrides(b.Shape, rank);
        int inner = shape[rank - 1];
        bool aRepeats = aStrides[rank - 1] == 0;
        bool bRepeats = bStrides[rank - 1] == 0;
        var index = new int[rank];
        ReadOnlySpan<float> av = a.Span;
        ReadOnlySpan<float> bv = b.Span;
        var rv = result.Span;
        int aOffset = 0, bOffset = 0;
        for (int row = 0; row < rv.Length; row += inner)
        {
            var destination = rv.Slice(row, inner);
            if (aRepeats && bRepeats)
            {
                TOp.Apply(av.Slice(aOffset, 1), bv[bOffset], destination[..1]);
                destination.Fill(destination[0]);
            }
            else if (aRepeats)
            {
                TOp.Apply(av[aOffset], bv.Slice(bOffset, inner), destination);
            }
            else if (bRepeats)
            {
                TOp.Apply(av.Slice(aOffset, inner), bv[bOffset], destination);
            }
            else
            {
                TOp.Apply(av.Slice(aOffset, inner), bv.Slice(bOffset, inner), destination);
            }
            // Odometer over the outer axes: move the innermost one, carrying outwards.
            for (int axis = rank - 2; axis >= 0; axis--)
            {
                index[axis]++;
                aOffset += aStrides[axis];
                bOffset += bStrides[axis];
                if (index[axis] < shape[axis])
                {
                    break;
                }
                aOffset -= aStrides[axis] * shape[axis];
                bOffset -= bStrides[axis] * shape[axis];
                index[axis] = 0;
            }
        }
        return result;
    }

    /// <summary>The broadcast of two shapes, as for elementwise ops.</summary>
    public static int[] Shape(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op) => Shapes.Broadcast(a, b, op);

    /// <summary>The flat index into an operand of shape <paramref name="source"/> (right-aligned, broadcast axes held at 0) of flat index <paramref name="index"/> of <paramref name="output"/>.</summary>
    public static int SourceIndex(int index, ReadOnlySpan<int> output, ReadOnlySpan<int> source)
    {
        int offset = 0, stride = 1;
        for (int axis = output.Length - 1; axis >= 0; axis--)
        {
            int coordinate = index % output[axis];
            index /= output[axis];
            int sourceAxis = axis - (output.Length - source.Length);
            if (sourceAxis >= 0)
            {
                offset += (source[sourceAxis] == 1 ? 0 : coordinate) * stride;
                stride *= source[sourceAxis];
            }
        }
        return offset;
    }

    /// <summary>Row-major strides of <paramref name="shape"/> right-aligned to <paramref name="rank"/>, with 0 on broadcast axes.</summary>
    static int[] BroadcastStrides(ReadOnlySpan<int> shape, int rank)
    {
        var strides = new int[rank];
        int stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[rank - shape.Length + i] = shape[i] == 1 ? 0 : stride;
            stride *= shape[i];
        }
        return strides;
    }
}
