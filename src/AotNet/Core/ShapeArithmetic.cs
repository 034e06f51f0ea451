namespace AotNet;

/// <summary>The shapes that reshape, flatten, squeeze, unsqueeze, transpose and permute produce, with PyTorch's rules for −1 and negative axes.</summary>
public static partial class Shapes
{
    /// <summary>An axis in [−rank, rank) made non-negative, or an exception naming the argument.</summary>
    public static int NormalizeAxis(int axis, int rank, string parameterName)
    {
        int resolved = axis < 0 ? axis + rank : axis;
        if ((uint)resolved >= (uint)Math.Max(rank, 1) && !(rank == 0 && resolved == 0))
        {
            throw new ArgumentOutOfRangeException(parameterName, axis, $"Axis {axis} is out of range for a tensor of rank {rank}; it must be in [{-rank}, {rank}).");
        }
        return resolved;
    }

    /// <summary><paramref name="shape"/> with its one −1, if any, filled in so the element count is <paramref name="length"/>.</summary>
    public static int[] Resolved(ReadOnlySpan<int> shape, int length, string parameterName)
    {
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (unknown >= 0)
                {
                    throw new ArgumentException($"Shape {Format(shape)} has more than one −1; only one size can be inferred.", parameterName);
                }
                unknown = i;
            }
            else if (shape[i] < 0)
            {
                throw new ArgumentException($"Shape {Format(shape)} has a negative size other than −1.", parameterName);
            }
            else
            {
                known *= shape[i];
            }
        }
        var result = shape.ToArray();
        if (unknown >= 0)
        {
            if (known == 0 || length % known != 0)
            {
                throw new ArgumentException($"Cannot reshape {length} elements to {Format(shape)}: {length} is not a multiple of {known}.", parameterName);
            }
            result[unknown] = (int)(length / known);
        }
        return result;
    }

    /// <summary>Axes <paramref name="startDim"/> to <paramref name="endDim"/> of <paramref name="shape"/> merged into one.</summary>
    public static int[] Flattened(ReadOnlySpan<int> shape, int startDim, int endDim, string parameterName)
    {
        if (shape.Length == 0)
        {
            return [1];
        }
        int start = NormalizeAxis(startDim, shape.Length, parameterName), end = NormalizeAxis(endDim, shape.Length, parameterName);
        if (start > end)
        {
            throw new ArgumentException($"Flatten: startDim {startDim} comes after endDim {endDim} for shape {Format(shape)}.", parameterName);
        }
        var result = new List<int>();
        int merged = 1;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            if (axis < start || axis > end)
            {
                result.Add(shape[axis]);
                continue;
            }
            merged *= shape[axis];
            if (axis == end)
            {
                result.Add(merged);
            }
        }
        return [.. result];
    }

    /// <summary><paramref name="shape"/> without axis <paramref name="dim"/> when its size is 1; unchanged otherwise, as in PyTorch.</summary>
    public static int[] Squeezed(ReadOnlySpan<int> shape, int dim, string parameterName)
    {
        if (shape.Length == 0)
        {
            NormalizeAxis(dim, 0, parameterName);
            return [];
        }
        int axis = NormalizeAxis(dim, shape.Length, parameterName);
        var result = shape.ToArray().ToList();
        if (result[axis] == 1)
        {
            result.RemoveAt(axis);
        }
        return [.. result];
    }

    /// <summary><paramref name="shape"/> with a new axis of size 1 at <paramref name="dim"/>, in [−rank−1, rank].</summary>
    public static int[] Unsqueezed(ReadOnlySpan<int> shape, int dim, string parameterName)
    {
        int axis = NormalizeAxis(dim, shape.Length + 1, parameterName);
        var result = shape.ToArray().ToList();
        result.Insert(axis, 1);
        return [.. result];
    }

    /// <summary>The permutation that swaps axes <paramref name="dim0"/> and <paramref name="dim1"/>.</summary>
    public static int[] Swapped(int rank, int dim0, int dim1, string parameterName)
    {
        var axes = Enumerable.Range(0, rank).ToArray();
        if (rank == 0)
        {
            return axes;
        }
        int a = NormalizeAxis(dim0, rank, parameterName), b = NormalizeAxis(dim1, rank, parameterName);
        (axes[a], axes[b]) = (axes[b], axes[a]);
        return axes;
    }

    /// <summary><paramref name="dims"/> made non-negative, checked to name every axis once.</summary>
    public static int[] Permutation(int rank, ReadOnlySpan<int> dims, string parameterName)
    {
        if (dims.Length != rank)
        {
            throw new ArgumentException($"Permute needs {rank} axes for a tensor of rank {rank}; got {dims.Length}.", parameterName);
        }
        var axes = new int[rank];
        var seen = new bool[rank];
        for (int k = 0; k < rank; k++)
        {
            axes[k] = NormalizeAxis(dims[k], rank, parameterName);
            if (seen[axes[k]])
            {
                throw new ArgumentException($"Permute names axis {axes[k]} twice in {Format(dims)}.", parameterName);
            }
            seen[axes[k]] = true;
        }
        return axes;
    }
}
