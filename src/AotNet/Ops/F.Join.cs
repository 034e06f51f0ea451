namespace AotNet;

/// <summary>Joining tensors along an axis, and taking a range of one back out.</summary>
public static partial class F
{
    /// <summary><paramref name="a"/> and <paramref name="b"/> joined along axis <paramref name="dim"/>, like <c>torch.cat([a, b], dim)</c>.</summary>
    public static Tensor Concat(Tensor a, Tensor b, int dim = 0) => Concat([a, b], dim);

    /// <summary>
    /// The tensors joined along axis <paramref name="dim"/>, like <c>torch.cat</c>: they must agree
    /// on every other axis.
    /// </summary>
    /// <exception cref="ArgumentException">No tensors, or shapes that differ off the axis.</exception>
    public static Tensor Concat(Tensor[] tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0)
        {
            throw new ArgumentException("Concat needs at least one tensor.", nameof(tensors));
        }
        var first = tensors[0] ?? throw new ArgumentNullException(nameof(tensors));
        int rank = first.Rank;
        int axis = Shapes.NormalizeAxis(dim, rank, nameof(dim));
        var shape = first.Shape.ToArray();
        shape[axis] = 0;
        foreach (var tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            for (int k = 0; k < rank; k++)
            {
                if (tensor.Rank != rank || (k != axis && tensor.Dim(k) != first.Dim(k)))
                {
                    throw new ArgumentException($"Concat along axis {axis}: {tensor.ShapeText} does not match {first.ShapeText} off that axis.", nameof(tensors));
                }
            }
            shape[axis] += tensor.Dim(axis);
        }
        var result = new Tensor(shape);
        int rows = shape.Take(axis).Aggregate(1, (x, y) => x * y);
        int inner = shape.Skip(axis + 1).Aggregate(1, (x, y) => x * y);
        int offset = 0;
        foreach (var tensor in tensors)
        {
            int width = tensor.Dim(axis) * inner;
            Kernels.Blocks.Copy(tensor.Span, width, 0, result.Span, shape[axis] * inner, offset, rows, width);
            offset += width;
        }
        return result;
    }

    /// <summary><paramref name="a"/> and <paramref name="b"/> stacked along a new axis <paramref name="dim"/>, like <c>torch.stack</c>.</summary>
    public static Tensor Stack(Tensor a, Tensor b, int dim = 0) => Stack([a, b], dim);

    /// <summary>The tensors, all of one shape, stacked along a new axis <paramref name="dim"/>, like <c>torch.stack</c>.</summary>
    public static Tensor Stack(Tensor[] tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return Concat(tensors.Select(t => Unsqueeze(t ?? throw new ArgumentNullException(nameof(tensors)), dim)).ToArray(), dim);
    }

    /// <summary>
    /// Positions <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> of
    /// axis <paramref name="dim"/>, like <c>torch.narrow</c> (the slice <c>x[..., start:start+length, ...]</c>). Copies.
    /// </summary>
    public static Tensor Narrow(Tensor x, int dim, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(x);
        int axis = Shapes.NormalizeAxis(dim, x.Rank, nameof(dim));
        if (start < 0 || length < 0 || start + length > x.Dim(axis))
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Narrow: positions {start} to {start + length} are not inside axis {axis} of {x.ShapeText}.");
        }
        var shape = x.Shape.ToArray();
        shape[axis] = length;
        var result = new Tensor(shape);
        int rows = shape.Take(axis).Aggregate(1, (a, b) => a * b);
        int inner = shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        Kernels.Blocks.Copy(x.Span, x.Dim(axis) * inner, start * inner, result.Span, length * inner, 0, rows, length * inner);
        return result;
    }
}
