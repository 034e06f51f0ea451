namespace AotNet;

/// <summary>Shape ops. Tensors are contiguous, so a reshape, flatten, squeeze or unsqueeze is a view of the same storage; transpose and permute copy.</summary>
public static partial class F
{
    /// <summary>
    /// The same elements under <paramref name="shape"/>, like PyTorch's <c>reshape</c>; one size may
    /// be −1, taken from the others. Shares <paramref name="x"/>'s storage.
    /// </summary>
    /// <exception cref="ArgumentException">The shape has another element count, or more than one −1.</exception>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Reshape(shape);
    }

    /// <summary>Zeros of <paramref name="x"/>'s shape, as PyTorch's <c>zeros_like</c>: a starting state, such as a recurrent cell's.</summary>
    public static Tensor ZerosLike(Tensor x) => FullLike(x, 0f);

    /// <summary>Ones of <paramref name="x"/>'s shape, as PyTorch's <c>ones_like</c>.</summary>
    public static Tensor OnesLike(Tensor x) => FullLike(x, 1f);

    /// <summary><paramref name="value"/> everywhere in <paramref name="x"/>'s shape, as PyTorch's <c>full_like</c>; no gradient flows to x.</summary>
    public static Tensor FullLike(Tensor x, float value)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Tensor.Full(value, x.Shape.ToArray());
    }

    /// <summary>Axes <paramref name="startDim"/> to <paramref name="endDim"/> merged into one, like <c>torch.flatten</c>; [N, C, H, W] becomes [N, C·H·W] by default.</summary>
    public static Tensor Flatten(Tensor x, int startDim = 1, int endDim = -1)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Reshape(Shapes.Flattened(x.Shape, startDim, endDim, nameof(startDim)));
    }

    /// <summary>Axis <paramref name="dim"/> removed when its size is 1, like <c>torch.squeeze(x, dim)</c>; otherwise <paramref name="x"/> unchanged.</summary>
    public static Tensor Squeeze(Tensor x, int dim)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Reshape(Shapes.Squeezed(x.Shape, dim, nameof(dim)));
    }

    /// <summary>A new axis of size 1 at <paramref name="dim"/>, like <c>torch.unsqueeze</c>; −1 appends it.</summary>
    public static Tensor Unsqueeze(Tensor x, int dim)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Reshape(Shapes.Unsqueezed(x.Shape, dim, nameof(dim)));
    }

    /// <summary>Axes <paramref name="dim0"/> and <paramref name="dim1"/> swapped, like <c>torch.transpose</c>. Copies.</summary>
    public static Tensor Transpose(Tensor x, int dim0, int dim1)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Permute(x, Shapes.Swapped(x.Rank, dim0, dim1, nameof(dim0)));
    }

    /// <summary>The axes reordered, like <c>torch.permute</c>: output axis k is input axis <c>dims[k]</c>. Copies.</summary>
    public static Tensor Permute(Tensor x, params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(x);
        int[] axes = Shapes.Permutation(x.Rank, dims, nameof(dims));
        var shape = axes.Select(axis => x.Dim(axis)).ToArray();
        var result = new Tensor(shape);
        Kernels.Permute.Apply(x.Span, x.Shape, axes, result.Span);
        return result;
    }

    /// <summary>
    /// <paramref name="x"/> broadcast to <paramref name="shape"/>, like PyTorch's <c>expand</c>: a size
    /// of −1 keeps that axis, and an axis of size 1 repeats. Copies, since tensors are contiguous.
    /// </summary>
    public static Tensor Expand(Tensor x, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length < x.Rank)
        {
            throw new ArgumentException($"Expand: {Shapes.Format(shape)} has fewer axes than {x.ShapeText}.", nameof(shape));
        }
        var target = shape.ToArray();
        for (int k = 0; k < x.Rank; k++)
        {
            int axis = k + shape.Length - x.Rank;
            if (target[axis] == -1)
            {
                target[axis] = x.Dim(k);
            }
            else if (x.Dim(k) != 1 && x.Dim(k) != target[axis])
            {
                throw new ArgumentException($"Expand: {x.ShapeText} cannot be broadcast to {Shapes.Format(shape)}; axis {k} has size {x.Dim(k)}.", nameof(shape));
            }
        }
        return Add(x, new Tensor(target));
    }

    /// <summary>
    /// <paramref name="x"/> padded with <paramref name="value"/>, like <c>torch.nn.functional.pad</c>
    /// in constant mode: <paramref name="pad"/> holds (before, after) pairs, the last axis first.
    /// </summary>
    public static Tensor Pad(Tensor x, int[] pad, float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(pad);
        if (pad.Length % 2 != 0 || pad.Length / 2 > x.Rank || pad.Any(p => p < 0))
        {
            throw new ArgumentException($"Pad: {Shapes.Format(pad)} must be non-negative (before, after) pairs for at most {x.Rank} axes, the last axis first.", nameof(pad));
        }
        var result = x;
        for (int pair = 0; pair < pad.Length / 2; pair++)
        {
            int axis = x.Rank - 1 - pair;
            var parts = new List<Tensor>();
            if (pad[2 * pair] > 0)
            {
                parts.Add(Filled(result.Shape, axis, pad[2 * pair], value));
            }
            parts.Add(result);
            if (pad[2 * pair + 1] > 0)
            {
                parts.Add(Filled(result.Shape, axis, pad[2 * pair + 1], value));
            }
            result = parts.Count == 1 ? result : Concat([.. parts], axis);
        }
        return result == x ? x.Clone() : result;
    }

    static Tensor Filled(ReadOnlySpan<int> like, int axis, int size, float value)
    {
        var shape = like.ToArray();
        shape[axis] = size;
        var block = new Tensor(shape);
        block.Span.Fill(value);
        return block;
    }
}
