namespace AotNet;

/// <summary>Shape arithmetic and the checks that turn bad shapes into clear exceptions.</summary>
public static partial class Shapes
{
    /// <summary>Formats a shape as <c>[2, 3]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        if (shape.IsEmpty)
        {
            return "[]";
        }
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>The element count of a shape, refusing negative dimensions and overflow.</summary>
    public static int CheckedLength(ReadOnlySpan<int> shape, string parameterName)
    {
        long length = 1;
        foreach (int dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Shape {Format(shape)} has a negative dimension.", parameterName);
            }
            length *= dim;
            if (length > Array.MaxLength)
            {
                throw new ArgumentException($"Shape {Format(shape)} has more elements than an array can hold.", parameterName);
            }
        }
        return (int)length;
    }

    /// <summary>Throws unless both tensors have the same shape.</summary>
    public static void RequireSame(Tensor expected, Tensor actual, string parameterName)
    {
        if (!expected.Shape.SequenceEqual(actual.Shape))
        {
            throw new ArgumentException(
                $"Expected shape {expected.ShapeText}, got {actual.ShapeText}.", parameterName);
        }
    }

    /// <summary>Throws unless <paramref name="tensor"/> has rank <paramref name="rank"/>.</summary>
    public static void RequireRank(Tensor tensor, int rank, string parameterName, string what)
    {
        if (tensor.Rank != rank)
        {
            throw new ArgumentException(
                $"{what} needs a tensor of rank {rank}; got shape {tensor.ShapeText}.", parameterName);
        }
    }

    /// <summary>
    /// The NumPy broadcast of two shapes: dimensions align from the right, and each pair must be
    /// equal or contain a 1.
    /// </summary>
    public static int[] Broadcast(ReadOnlySpan<int> left, ReadOnlySpan<int> right, string what)
    {
        int rank = Math.Max(left.Length, right.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int l = i < rank - left.Length ? 1 : left[i - (rank - left.Length)];
            int r = i < rank - right.Length ? 1 : right[i - (rank - right.Length)];
            if (l != r && l != 1 && r != 1)
            {
                throw new ArgumentException(
                    $"{what}: shapes {Format(left)} and {Format(right)} do not broadcast; dimension {i} is {l} against {r}.");
            }
            result[i] = l == 1 ? r : l;
        }
        return result;
    }
}
