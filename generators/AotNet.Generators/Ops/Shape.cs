using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>Shape ops: reshape is a view of its input's buffer; permute copies into a new order.</summary>
internal static partial class OpTable
{
    public static readonly OpDef Reshape = new("Reshape", OpFamily.Shape, "the same elements under another shape; no data moves",
        static context =>
        {
            var target = context.Get<ReshapeAttributes>().Shape;
            var source = context[0];
            // Labels keep their type: y.View(-1) is indices still.
            return context.Unify(source.Length, target.Length, $"{context.Op}: {source} and {target} must hold as many elements ({source.Length} and {target.Length})")
                ? ShapeResult.Ok(new TensorType(context.Inputs[0].DType, target))
                : ShapeResult.Fail($"{context.Op}: cannot view {source} ({source.Length} elements) as {target} ({target.Length} elements)");
        })
    {
        Math = static (o, a) => $"{o[0]} as {((ReshapeAttributes)a).Shape}",
        Gradient = "g viewed back as the input's shape",
        IsView = true,
        Vjp = static (c, _) => c.G.Reshape(c.Dy, c.InputShape(0)),
    };

    public static readonly OpDef Permute = new("Permute", OpFamily.Shape, "the axes reordered; output axis k is input axis axes[k]",
        static context =>
        {
            var axes = context.Get<PermuteAttributes>().Axes;
            var x = context[0];
            if (axes.Count != x.Rank || axes.Distinct().Count() != x.Rank || axes.Any(a => a < 0 || a >= x.Rank))
            {
                return ShapeResult.Fail($"{context.Op}: axes [{string.Join(", ", axes)}] are not a permutation of the {x.Rank} axes of {x}");
            }
            return ShapeResult.Ok(Graph.Shape.Of(axes.Select(a => x[a]).ToArray()));
        })
    {
        Math = static (o, a) => $"{o[0]} with axes ({string.Join(", ", ((PermuteAttributes)a).Axes)})",
        Gradient = "g with the inverse permutation",
        Kernel = static (w, node) =>
        {
            var source = w.NodeOf(node.Input0).Shape;
            var axes = ((PermuteAttributes)node.Attributes).Axes;
            w.Comment(node.Op.Math([w.Display(node.Input0)], node.Attributes), "axis permutation, a copy");
            w.Line($"{Kernels}Permute.Apply({w.Code(node.Input0)}, [{string.Join(", ", source.Dims.Select(d => d.Code))}], [{string.Join(", ", axes)}], {w.Output(0)});");
        },
        Vjp = static (c, _) =>
        {
            var axes = c.Attributes<PermuteAttributes>().Axes;
            var inverse = new int[axes.Count];
            for (int k = 0; k < axes.Count; k++)
            {
                inverse[axes[k]] = k;
            }
            return c.G.Apply(c.Node.Op, new PermuteAttributes(inverse.ToEquatableArray()), c.Dy);
        },
    };

    /// <summary>
    /// The calls that lower to a view or a permute: <c>F.Reshape</c> (and <c>x.View</c>), Flatten,
    /// Squeeze, Unsqueeze, Transpose and Permute. Their size and axis arguments are build-time
    /// constants, or sizes read off a tensor (<c>x.Dim(0)</c>).
    /// </summary>
    static IEnumerable<Binding> ShapeBindings() =>
    [
        new("Reshape", static (g, a, c, s, n) => View(g, a[0], Reshaped(g.Shape(a[0]), c.Dims(1), n), s, n), [Reshape]),
        new("Flatten", static (g, a, c, s, n) => View(g, a[0], Flattened(g.Shape(a[0]), c.Int(1, 1), c.Int(2, -1), n), s, n), [Reshape]),
        new("Squeeze", static (g, a, c, s, n) => View(g, a[0], Squeezed(g.Shape(a[0]), c.Int(1, 0), n), s, n), [Reshape]),
        new("Unsqueeze", static (g, a, c, s, n) => View(g, a[0], Unsqueezed(g.Shape(a[0]), c.Int(1, 0), n), s, n), [Reshape]),
        new("Transpose", static (g, a, c, s, n) => Permuted(g, a[0], Swapped(g.Shape(a[0]).Rank, c.Int(1, 0), c.Int(2, 1)), s, n), [Permute]),
        new("Permute", static (g, a, c, s, n) => Permuted(g, a[0], c.Axes(1)?.ToArray(), s, n), [Permute]),
        new("Expand", LowerExpand, [Expand]),
        new("Pad", LowerPad, [Concat, Constant, Expand]),
    ];

    /// <summary>PyTorch's <c>expand</c>: −1 keeps an axis, a 1 repeats, and a symbolic size must equal its target (checked when the code runs).</summary>
    static BindingResult LowerExpand(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string name)
    {
        var x = graph.Shape(arguments[0]);
        var sizes = constants.Dims(1) ?? [];
        if (sizes.Count < x.Rank)
        {
            return BindingResult.Fail($"{name}: [{string.Join(", ", sizes)}] has fewer axes than {x}");
        }
        var target = sizes.ToArray();
        for (int k = 0; k < x.Rank; k++)
        {
            int axis = k + sizes.Count - x.Rank;
            if (target[axis].IsConstant && target[axis].Value == -1)
            {
                target[axis] = x[k];
            }
            else if (!x[k].IsOne && x[k] != target[axis])
            {
                if (x[k].IsConstant && target[axis].IsConstant)
                {
                    return BindingResult.Fail($"{name}: {x} cannot be broadcast to [{string.Join(", ", sizes)}]; axis {k} has size {x[k]}");
                }
                graph.Builder.Requirements.Add(new DimRequirement(x[k], target[axis], $"{name}: axis {k} of {x} must have the size it expands to, or be 1"));
            }
        }
        return new BindingResult(graph.Expand(arguments[0], Graph.Shape.Of(target)), null);
    }

    /// <summary>Constant padding: per (before, after) pair, the last axis first, a join with blocks of the value.</summary>
    static BindingResult LowerPad(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string name)
    {
        int x = arguments[0];
        var pad = constants.Axes(1) ?? [];
        float value = constants.Float(2, 0f);
        int rank = graph.Shape(x).Rank;
        if (pad.Count % 2 != 0 || pad.Count / 2 > rank || pad.Any(p => p < 0))
        {
            return BindingResult.Fail($"{name}: [{string.Join(", ", pad)}] must be non-negative (before, after) pairs for at most {rank} axes, the last axis first");
        }
        int result = x;
        for (int pair = 0; pair < pad.Count / 2; pair++)
        {
            int axis = rank - 1 - pair;
            var parts = new List<int>();
            int Block(int size)
            {
                var dims = graph.Shape(result).Dims.ToArray();
                dims[axis] = Dim.Of(size);
                return graph.Expand(graph.Constant(value), Graph.Shape.Of(dims));
            }
            if (pad[2 * pair] > 0)
            {
                parts.Add(Block(pad[2 * pair]));
            }
            parts.Add(result);
            if (pad[2 * pair + 1] > 0)
            {
                parts.Add(Block(pad[2 * pair + 1]));
            }
            if (parts.Count > 1)
            {
                var joined = graph.TryApply(Concat, new ConcatAttributes(axis), source, parts, out result, name);
                if (!joined.Succeeded)
                {
                    return BindingResult.Fail(joined.Error!);
                }
            }
        }
        return new BindingResult(result, null);
    }

    /// <summary>A target shape, or why there is none; the lowering turns the reason into AOTNET0004.</summary>
    readonly record struct Target(Shape? Shape, string? Error);

    static BindingResult View(OpGraph graph, int x, Target target, SourceSpot? source, string name)
    {
        if (target.Shape is null)
        {
            return BindingResult.Fail(target.Error!);
        }
        if (target.Shape == graph.Shape(x))
        {
            return new BindingResult(x, null);
        }
        var result = graph.TryApply(Reshape, new ReshapeAttributes(target.Shape), source, [x], out int id, name);
        return result.Succeeded ? new BindingResult(id, null) : BindingResult.Fail(result.Error!);
    }

    static BindingResult Permuted(OpGraph graph, int x, int[]? axes, SourceSpot? source, string name)
    {
        int rank = graph.Shape(x).Rank;
        if (axes is null)
        {
            return BindingResult.Fail($"{name} needs its axes");
        }
        var resolved = axes.Select(a => a < 0 ? a + rank : a).ToArray();
        if (resolved.SequenceEqual(Enumerable.Range(0, rank)))
        {
            return new BindingResult(x, null);
        }
        var result = graph.TryApply(Permute, new PermuteAttributes(resolved.ToEquatableArray()), source, [x], out int id, name);
        return result.Succeeded ? new BindingResult(id, null) : BindingResult.Fail(result.Error!);
    }

    static Target Reshaped(Shape source, IReadOnlyList<Dim>? sizes, string name)
    {
        if (sizes is null)
        {
            return new Target(null, $"{name} needs a shape");
        }
        var unknown = Enumerable.Range(0, sizes.Count).Where(k => sizes[k].IsConstant && sizes[k].Value == -1).ToList();
        if (unknown.Count > 1)
        {
            return new Target(null, $"{name}: only one size can be −1; got [{string.Join(", ", sizes)}]");
        }
        if (sizes.Any(d => d.IsConstant && d.Value < -1))
        {
            return new Target(null, $"{name}: sizes must be positive or −1; got [{string.Join(", ", sizes)}]");
        }
        var dims = sizes.ToArray();
        if (unknown.Count == 1)
        {
            // −1 is the element count over the sizes given; the algebra divides exactly where it can.
            dims[unknown[0]] = source.Length / Dim.Product(sizes.Where((_, k) => k != unknown[0]));
        }
        return new Target(Graph.Shape.Of(dims), null);
    }

    static Target Flattened(Shape source, int startDim, int endDim, string name)
    {
        int rank = source.Rank;
        if (rank == 0)
        {
            return new Target(Graph.Shape.Of(Dim.One), null);
        }
        int start = startDim < 0 ? startDim + rank : startDim, end = endDim < 0 ? endDim + rank : endDim;
        if (start < 0 || end >= rank || start > end)
        {
            return new Target(null, $"{name}: startDim {startDim} and endDim {endDim} do not name a range of the axes of {source}");
        }
        var dims = source.Dims.Take(start).Append(Dim.Product(source.Dims.Skip(start).Take(end - start + 1))).Concat(source.Dims.Skip(end + 1));
        return new Target(Graph.Shape.Of(dims.ToArray()), null);
    }

    static Target Squeezed(Shape source, int dim, string name)
    {
        int axis = dim < 0 ? dim + source.Rank : dim;
        if (axis < 0 || axis >= source.Rank)
        {
            return new Target(null, $"{name}: axis {dim} is out of range for {source}");
        }
        if (!source[axis].IsConstant)
        {
            // PyTorch keeps an axis whose size is not 1, so the result's rank would depend on a size known only when the code runs.
            return new Target(null, $"{name}: axis {dim} of {source} has the symbolic size {source[axis]}, so whether it squeezes is not known at build time");
        }
        return new Target(source[axis].IsOne ? Graph.Shape.Of(source.Dims.Where((_, k) => k != axis).ToArray()) : source, null);
    }

    static Target Unsqueezed(Shape source, int dim, string name)
    {
        int axis = dim < 0 ? dim + source.Rank + 1 : dim;
        if (axis < 0 || axis > source.Rank)
        {
            return new Target(null, $"{name}: axis {dim} is out of range for a new axis of {source}");
        }
        var dims = source.Dims.ToList();
        dims.Insert(axis, Dim.One);
        return new Target(Graph.Shape.Of(dims.ToArray()), null);
    }

    static int[] Swapped(int rank, int dim0, int dim1)
    {
        var axes = Enumerable.Range(0, rank).ToArray();
        int a = dim0 < 0 ? dim0 + rank : dim0, b = dim1 < 0 ? dim1 + rank : dim1;
        if (a >= 0 && a < rank && b >= 0 && b < rank)
        {
            (axes[a], axes[b]) = (axes[b], axes[a]);
            return axes;
        }
        return [dim0, dim1];
    }
}
