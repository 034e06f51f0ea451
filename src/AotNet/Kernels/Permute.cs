namespace AotNet.Kernels;

/// <summary>Reorders the axes of a row-major array: the kernel of transpose and permute.</summary>
public static class Permute
{
    /// <summary>
    /// <c>y = x.permute(axes)</c>: output axis k is input axis <c>axes[k]</c>. <paramref name="shape"/> is
    /// the input's. Walks the output in order, so writes are sequential.
    /// </summary>
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> axes, Span<float> y)
    {
        int rank = shape.Length;
        if (axes.Length != rank)
        {
            throw new ArgumentException($"Permute: {axes.Length} axes for a tensor of rank {rank}.", nameof(axes));
        }
        Span<int> inputStrides = stackalloc int[rank];
        Span<int> outputShape = stackalloc int[rank];
        int stride = 1;
        for (int axis = rank - 1; axis >= 0; axis--)
        {
            inputStrides[axis] = stride;
            stride *= shape[axis];
        }
        for (int k = 0; k < rank; k++)
        {
            outputShape[k] = shape[axes[k]];
        }
        if (x.Length < stride || y.Length < stride)
        {
            throw new ArgumentException($"Permute: the spans hold {x.Length} and {y.Length} elements; the shape needs {stride}.");
        }
        Span<int> index = stackalloc int[rank];
        index.Clear();
        int source = 0;
        for (int o = 0; o < stride; o++)
        {
            y[o] = x[source];
            // Advance the output index like an odometer, moving the source offset along with it.
            for (int k = rank - 1; k >= 0; k--)
            {
                source += inputStrides[axes[k]];
                if (++index[k] < outputShape[k])
                {
                    break;
                }
                source -= inputStrides[axes[k]] * outputShape[k];
                index[k] = 0;
            }
        }
    }
}
