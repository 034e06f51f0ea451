namespace AotNet;

/// <summary>Eager elementwise binary ops with NumPy broadcasting.</summary>
static class Broadcasting
{
    public static Tensor Apply(Tensor a, Tensor b, string op, Func<float, float, float> combine)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int[] shape = Shapes.Broadcast(a.Shape, b.Shape, op);
        var result = new Tensor(shape);
        int rank = shape.Length;
        int[] aStrides = BroadcastStrides(a.Shape, rank);
        int[] bStrides = BroadcastStrides(b.Shape, rank);
        var index = new int[rank];
        var av = a.Span;
        var bv = b.Span;
        var rv = result.Span;
        int aOffset = 0, bOffset = 0;
        for (int flat = 0; flat < rv.Length; flat++)
        {
            rv[flat] = combine(av[aOffset], bv[bOffset]);
            // Odometer increment: move the innermost index, carrying outwards.
            for (int axis = rank - 1; axis >= 0; axis--)
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
