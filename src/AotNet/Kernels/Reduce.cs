using System.Numerics.Tensors;

namespace AotNet.Kernels;

/// <summary>Reductions the generated backward uses, such as a bias gradient.</summary>
public static partial class Reduce
{
    /// <summary>The sum of all elements, accumulated in double so long sums keep their precision.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        double total = 0;
        foreach (float value in x)
        {
            total += value;
        }
        return (float)total;
    }

    /// <summary><c>result[c] (+)= Σ_r x[r, c]</c>: the sum down each column of a [rows, cols] matrix.</summary>
    public static void SumOverRows(ReadOnlySpan<float> x, int rows, int cols, Span<float> result, bool accumulate)
    {
        Softmax.RequireLength(x.Length, rows, cols, nameof(x));
        if (result.Length < cols)
        {
            throw new ArgumentException($"result holds {result.Length} elements, but {cols} columns need summing.", nameof(result));
        }
        var into = result[..cols];
        if (!accumulate)
        {
            into.Clear();
        }
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(into, x.Slice(r * cols, cols), into);
        }
    }
}
