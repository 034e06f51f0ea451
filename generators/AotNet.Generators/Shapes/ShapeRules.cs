using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Shapes;

/// <summary>
/// Build-time shape rules that the op table's entries share. Constant dimensions must agree
/// exactly. A symbolic dimension broadcasts only against itself or a literal 1; against any
/// other size it must be equal, which the generated code checks when it runs.
/// </summary>
internal static class ShapeRules
{
    /// <summary>NumPy broadcasting: align from the right; each pair is equal or one of them is a literal 1.</summary>
    public static ShapeResult Broadcast(ShapeContext context)
    {
        var result = context.Inputs[0].Shape;
        for (int slot = 1; slot < context.Inputs.Count; slot++)
        {
            var next = Broadcast(context, result, context[slot]);
            if (next is null)
            {
                return ShapeResult.Fail($"{context.Op}: shapes {string.Join(" and ", context.Inputs.Select(i => i.Shape))} do not broadcast");
            }
            result = next;
        }
        return ShapeResult.Ok(result);
    }

    static Shape? Broadcast(ShapeContext context, Shape left, Shape right)
    {
        int rank = System.Math.Max(left.Rank, right.Rank);
        var dims = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            var l = i < rank - left.Rank ? Dim.One : left[i - (rank - left.Rank)];
            var r = i < rank - right.Rank ? Dim.One : right[i - (rank - right.Rank)];
            if (l == r || r.IsOne)
            {
                dims[i] = l;
            }
            else if (l.IsOne)
            {
                dims[i] = r;
            }
            else if (context.Unify(l, r, $"{context.Op}: dimension {i} of {left} and {right} must be equal ({l} and {r}); a size that is 1 only when the code runs is never broadcast"))
            {
                dims[i] = r.IsConstant ? r : l;
            }
            else
            {
                return null;
            }
        }
        return Shape.Of(dims);
    }

    /// <summary>The same shape as the first input, for unary elementwise ops.</summary>
    public static ShapeResult SameAsInput(ShapeContext context) => ShapeResult.Ok(context.Inputs[0].Shape);

    /// <summary><c>op(A)·op(B)</c> for matrices, where op transposes when asked.</summary>
    public static ShapeResult Gemm(ShapeContext context)
    {
        var attributes = context.Get<GemmAttributes>();
        Shape a = context[0], b = context[1];
        if (a.Rank < 2 || b.Rank < 2)
        {
            return ShapeResult.Fail($"{context.Op} needs two matrices, or batches of them; got {a} and {b}");
        }
        int ra = a.Rank, rb = b.Rank;
        var m = attributes.TransposeA ? a[ra - 1] : a[ra - 2];
        var k = attributes.TransposeA ? a[ra - 2] : a[ra - 1];
        var kb = attributes.TransposeB ? b[rb - 1] : b[rb - 2];
        var n = attributes.TransposeB ? b[rb - 2] : b[rb - 1];
        if (!context.Unify(k, kb, $"{context.Op}: the inner dimensions of {a} and {b} must be equal ({k} and {kb})"))
        {
            return ShapeResult.Fail($"{context.Op}: inner dimensions differ; {a} against {b} ({k} is not {kb})");
        }
        // Leading axes are batch axes, which broadcast as in NumPy.
        var batch = Broadcast(context, Shape.Of(a.Dims.Take(ra - 2).ToArray()), Shape.Of(b.Dims.Take(rb - 2).ToArray()));
        if (batch is null)
        {
            return ShapeResult.Fail($"{context.Op}: the batch axes of {a} and {b} do not broadcast");
        }
        return ShapeResult.Ok(Shape.Of(batch.Dims.Append(m).Append(n).ToArray()));
    }

    /// <summary>Row-wise ops over the last dimension keep their input's shape.</summary>
    public static ShapeResult LastAxis(ShapeContext context) =>
        context[0].Rank >= 1 ? ShapeResult.Ok(context[0]) : ShapeResult.Fail($"{context.Op} needs at least one dimension; got a scalar");

    /// <summary>An op over one axis (softmax) keeps its input's shape; the axis must exist.</summary>
    public static ShapeResult OverAxis(ShapeContext context)
    {
        int axis = context.Get<AxisAttributes>().Axis;
        var x = context[0];
        if (x.Rank < 1)
        {
            return ShapeResult.Fail($"{context.Op} needs at least one dimension; got a scalar");
        }
        return axis >= 0 && axis < x.Rank ? ShapeResult.Ok(x) : ShapeResult.Fail($"{context.Op}: dim {axis} is out of range for {x}");
    }

    /// <summary>A reduction removes its axes, or keeps them as size 1.</summary>
    public static ShapeResult Reduce(ShapeContext context)
    {
        var attributes = context.Get<ReduceAttributes>();
        var x = context[0];
        if (attributes.Axes.Any(a => a < 0 || a >= x.Rank))
        {
            return ShapeResult.Fail($"{context.Op}: axes [{string.Join(", ", attributes.Axes)}] are out of range for {x}");
        }
        if (attributes.Axes.Distinct().Count() != attributes.Axes.Count)
        {
            return ShapeResult.Fail($"{context.Op}: axes [{string.Join(", ", attributes.Axes)}] name an axis twice");
        }
        var dims = new List<Dim>();
        for (int axis = 0; axis < x.Rank; axis++)
        {
            if (!attributes.Axes.Contains(axis))
            {
                dims.Add(x[axis]);
            }
            else if (attributes.KeepDim)
            {
                dims.Add(Dim.One);
            }
        }
        return ShapeResult.Ok(Shape.Of(dims.ToArray()));
    }

    /// <summary>The axes of <paramref name="full"/> that <paramref name="reduced"/> broadcasts over, aligned from the right.</summary>
    public static IReadOnlyList<int> BroadcastAxes(Shape full, Shape reduced)
    {
        var axes = new List<int>();
        int offset = full.Rank - reduced.Rank;
        for (int i = 0; i < full.Rank; i++)
        {
            if (i < offset || (reduced[i - offset].IsOne && !full[i].IsOne))
            {
                axes.Add(i);
            }
        }
        return axes;
    }
}
