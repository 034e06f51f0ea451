using System.Collections.Generic;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Shapes;

/// <summary>
/// Build-time shape rules, one per op. Constant dimensions must agree exactly; a symbolic
/// dimension agrees only with itself or, when broadcasting, with 1.
/// </summary>
internal static class ShapeRules
{
    /// <summary>NumPy broadcasting: align from the right; each pair is equal or contains a 1.</summary>
    public static ShapeResult Broadcast(string op, Shape left, Shape right)
    {
        int rank = System.Math.Max(left.Rank, right.Rank);
        var dims = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            var l = i < rank - left.Rank ? Dim.Of(1) : left[i - (rank - left.Rank)];
            var r = i < rank - right.Rank ? Dim.Of(1) : right[i - (rank - right.Rank)];
            if (l == r || IsOne(r))
            {
                dims[i] = l;
            }
            else if (IsOne(l))
            {
                dims[i] = r;
            }
            else
            {
                return ShapeResult.Fail($"{op}: shapes {left} and {right} do not broadcast; dimension {i} is {l} against {r}");
            }
        }
        return ShapeResult.Ok(Shape.Of(dims));
    }

    /// <summary><c>op(A)·op(B)</c> for matrices, where op transposes when asked.</summary>
    public static ShapeResult Gemm(string op, Shape a, bool transposeA, Shape b, bool transposeB)
    {
        if (a.Rank != 2 || b.Rank != 2)
        {
            return ShapeResult.Fail($"{op} needs two matrices; got {a} and {b}");
        }
        var m = transposeA ? a[1] : a[0];
        var k = transposeA ? a[0] : a[1];
        var kb = transposeB ? b[1] : b[0];
        var n = transposeB ? b[0] : b[1];
        if (k != kb)
        {
            return ShapeResult.Fail($"{op}: inner dimensions differ; {a} against {b} ({k} is not {kb})");
        }
        return ShapeResult.Ok(Shape.Of(m, n));
    }

    /// <summary><c>x · weightᵀ + bias</c> with weight [out, in].</summary>
    public static ShapeResult Linear(string layer, Shape x, Shape weight, Shape? bias)
    {
        if (x.Rank != 2)
        {
            return ShapeResult.Fail($"{layer} needs an input of shape [N, {weight[1]}]; got {x}");
        }
        if (x[1] != weight[1])
        {
            return ShapeResult.Fail($"{layer} expects {weight[1]} input features but the input has shape {x}");
        }
        if (bias is not null && (bias.Rank != 1 || bias[0] != weight[0]))
        {
            return ShapeResult.Fail($"{layer}: the bias must have shape [{weight[0]}]; it has {bias}");
        }
        return ShapeResult.Ok(Shape.Of(x[0], weight[0]));
    }

    /// <summary>Row-wise ops over the last dimension keep their input's shape.</summary>
    public static ShapeResult LastAxis(string op, Shape x) =>
        x.Rank >= 1 ? ShapeResult.Ok(x) : ShapeResult.Fail($"{op} needs at least one dimension; got a scalar");

    /// <summary>Cross-entropy of logits [N, C] against labels [N] is a scalar.</summary>
    public static ShapeResult CrossEntropy(Shape logits, Shape labels)
    {
        if (logits.Rank != 2)
        {
            return ShapeResult.Fail($"CrossEntropy needs logits of shape [N, C]; got {logits}");
        }
        if (labels.Rank != 1 || labels[0] != logits[0])
        {
            return ShapeResult.Fail($"CrossEntropy: logits {logits} need labels of shape [{logits[0]}]; got {labels}");
        }
        return ShapeResult.Ok(Shape.Scalar);
    }

    /// <summary>The axes of <paramref name="full"/> that <paramref name="reduced"/> broadcasts over, aligned from the right.</summary>
    public static IReadOnlyList<int> BroadcastAxes(Shape full, Shape reduced)
    {
        var axes = new List<int>();
        int offset = full.Rank - reduced.Rank;
        for (int i = 0; i < full.Rank; i++)
        {
            if (i < offset || (IsOne(reduced[i - offset]) && !IsOne(full[i])))
            {
                axes.Add(i);
            }
        }
        return axes;
    }

    static bool IsOne(Dim dim) => dim.IsConstant && dim.Value == 1;
}
