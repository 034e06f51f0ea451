using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>Joining along an axis, and taking a range back out: strided block copies.</summary>
internal static partial class OpTable
{
    public static readonly OpDef Narrow = new("Narrow", OpFamily.Shape, "positions start to start + length of one axis (a slice)",
        static context =>
        {
            var attributes = context.Get<NarrowAttributes>();
            var x = context[0];
            if (attributes.Axis < 0 || attributes.Axis >= x.Rank)
            {
                return ShapeResult.Fail($"{context.Op}: axis {attributes.Axis} is out of range for {x}");
            }
            var end = attributes.Start + attributes.Length;
            if (x[attributes.Axis].IsConstant && end.IsConstant && end.Value > x[attributes.Axis].Value)
            {
                return ShapeResult.Fail($"{context.Op}: positions {attributes.Start} to {end} are not inside axis {attributes.Axis} of {x}");
            }
            var dims = x.Dims.ToArray();
            dims[attributes.Axis] = attributes.Length;
            return ShapeResult.Ok(Graph.Shape.Of(dims));
        })
    {
        Math = static (o, a) => $"{o[0]}[{((NarrowAttributes)a).Start}:{((NarrowAttributes)a).Start + ((NarrowAttributes)a).Length} on axis {((NarrowAttributes)a).Axis}]",
        Gradient = "g placed back at its positions, zeros elsewhere",
        Kernel = static (w, node) =>
        {
            var attributes = (NarrowAttributes)node.Attributes;
            var source = w.NodeOf(node.Input0).Shape;
            var (rows, inner) = RowsAndInner(source, attributes.Axis);
            w.Comment(node.Op.Math([w.Display(node.Input0)], attributes), "strided copy");
            w.Line($"{Kernels}Blocks.Copy({w.Code(node.Input0)}, {(source[attributes.Axis] * inner).Code}, {(attributes.Start * inner).Code}, {w.Output(0)}, {(attributes.Length * inner).Code}, 0, {rows.Code}, {(attributes.Length * inner).Code});");
        },
        Vjp = static (c, _) =>
        {
            // dx is dy with zeros before and after it along the axis: a join of three parts, the empty ones left out.
            var attributes = c.Attributes<NarrowAttributes>();
            var x = c.InputShape(0);
            var after = x[attributes.Axis] - attributes.Start - attributes.Length;
            var parts = new List<int>();
            if (!(attributes.Start.IsConstant && attributes.Start.Value == 0))
            {
                parts.Add(Zeros(c.G, x, attributes.Axis, attributes.Start));
            }
            parts.Add(c.Dy);
            if (!(after.IsConstant && after.Value == 0))
            {
                parts.Add(Zeros(c.G, x, attributes.Axis, after));
            }
            return parts.Count == 1 ? c.Dy : c.G.Apply(Concat!, new ConcatAttributes(attributes.Axis), [.. parts]);
        },
    };

    public static readonly OpDef Concat = new("Concat", OpFamily.Shape, "the inputs joined along one axis",
        static context =>
        {
            int axis = context.Get<ConcatAttributes>().Axis;
            var first = context[0];
            if (axis < 0 || axis >= first.Rank)
            {
                return ShapeResult.Fail($"{context.Op}: axis {axis} is out of range for {first}");
            }
            var total = Dim.Zero;
            for (int slot = 0; slot < context.Inputs.Count; slot++)
            {
                var shape = context[slot];
                if (shape.Rank != first.Rank)
                {
                    return ShapeResult.Fail($"{context.Op}: {shape} and {first} have different ranks");
                }
                for (int k = 0; k < first.Rank; k++)
                {
                    if (k != axis && !context.Unify(shape[k], first[k], $"{context.Op} along axis {axis}: {shape} and {first} must agree on axis {k}"))
                    {
                        return ShapeResult.Fail($"{context.Op} along axis {axis}: {shape} does not match {first} on axis {k}");
                    }
                }
                total += shape[axis];
            }
            var dims = first.Dims.ToArray();
            dims[axis] = total;
            return ShapeResult.Ok(Graph.Shape.Of(dims));
        })
    {
        Math = static (o, a) => $"concat({string.Join(", ", o)}) on axis {((ConcatAttributes)a).Axis}",
        Gradient = "each input's range of g along the axis",
        Kernel = static (w, node) =>
        {
            int axis = ((ConcatAttributes)node.Attributes).Axis;
            var (rows, inner) = RowsAndInner(node.Shape, axis);
            var stride = node.Shape[axis] * inner;
            w.Comment(node.Op.Math(node.Inputs.Select(w.Display).ToList(), node.Attributes), "strided copies");
            var offset = Dim.Zero;
            foreach (int input in node.Inputs)
            {
                var width = w.NodeOf(input).Shape[axis] * inner;
                w.Line($"{Kernels}Blocks.Copy({w.Code(input)}, {width.Code}, 0, {w.Output(0)}, {stride.Code}, {offset.Code}, {rows.Code}, {width.Code});");
                offset += width;
            }
        },
        Vjp = static (c, slot) =>
        {
            int axis = c.Attributes<ConcatAttributes>().Axis;
            var start = Dim.Zero;
            for (int k = 0; k < slot; k++)
            {
                start += c.InputShape(k)[axis];
            }
            return c.G.Apply(Narrow, new NarrowAttributes(axis, start, c.InputShape(slot)[axis]), c.Dy);
        },
    };

    /// <summary>The rows before an axis and the elements after it, the two strides of a block copy along it.</summary>
    static (Dim Rows, Dim Inner) RowsAndInner(Shape shape, int axis) =>
        (Dim.Product(shape.Dims.Take(axis)), Dim.Product(shape.Dims.Skip(axis + 1)));

    static int Zeros(OpGraph graph, Shape like, int axis, Dim size)
    {
        var dims = like.Dims.ToArray();
        dims[axis] = size;
        return graph.Expand(graph.Constant(0f), Graph.Shape.Of(dims));
    }

    /// <summary><c>F.Concat</c> and <c>F.Stack</c> (their tensors first, however many, then the axis) and <c>F.Narrow</c>.</summary>
    static IEnumerable<Binding> JoinBindings() =>
    [
        new("Concat", static (g, a, c, s, n) => Joined(g, a, c, stack: false, s, n), [Concat]),
        new("Stack", static (g, a, c, s, n) => Joined(g, a, c, stack: true, s, n), [Reshape, Concat]),
        new("Narrow", LowerNarrow, [Narrow]),
    ];

    static BindingResult Joined(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, bool stack, SourceSpot? source, string name)
    {
        var tensors = arguments.Where(a => a >= 0).ToList();
        if (tensors.Count == 0)
        {
            return BindingResult.Fail($"{name} needs at least one tensor");
        }
        int rank = graph.Shape(tensors[0]).Rank + (stack ? 1 : 0);
        int dim = constants.Int(arguments.Count - 1, 0);
        int axis = dim < 0 ? dim + rank : dim;
        if (axis < 0 || axis >= rank)
        {
            return BindingResult.Fail($"{name}: axis {dim} is out of range for {rank} axes");
        }
        if (stack)
        {
            for (int k = 0; k < tensors.Count; k++)
            {
                var dims = graph.Shape(tensors[k]).Dims.ToList();
                dims.Insert(axis, Dim.One);
                tensors[k] = graph.Reshape(tensors[k], Graph.Shape.Of(dims.ToArray()));
            }
        }
        if (tensors.Count == 1)
        {
            return new BindingResult(tensors[0], null);
        }
        var result = graph.TryApply(Concat, new ConcatAttributes(axis), source, tensors, out int id, name);
        return result.Succeeded ? new BindingResult(id, null) : BindingResult.Fail(result.Error!);
    }

    static BindingResult LowerNarrow(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string name)
    {
        var shape = graph.Shape(arguments[0]);
        int dim = constants.Int(1, 0);
        int axis = dim < 0 ? dim + shape.Rank : dim;
        var start = constants.Dims(2)?[0] ?? Dim.Zero;
        var length = constants.Dims(3)?[0] ?? Dim.Zero;
        var result = graph.TryApply(Narrow, new NarrowAttributes(axis, start, length), source, [arguments[0]], out int id, name);
        return result.Succeeded ? new BindingResult(id, null) : BindingResult.Fail(result.Error!);
    }
}
