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
}
