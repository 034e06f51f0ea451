using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Emit;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>Sums and means over a set of axes.</summary>
internal static partial class OpTable
{
    const string Kernels = "global::AotNet.Kernels.";

    public static readonly OpDef Sum = new("Sum", OpFamily.Reduction, "the sum over a set of axes (all of them by default)", ShapeRules.Reduce)
    {
        Function = "Sum",
        FunctionAttributes = AllAxes,
        Gradient = "g broadcast back over the summed axes",
        Math = static (o, a) => $"Σ{AxesText((ReduceAttributes)a)} {o[0]}",
        Kernel = static (w, node) => EmitReduction(w, node, mean: false),
        Vjp = static (c, _) => c.G.Expand(c.Dy, c.InputShape(0), OperandAxes(c.Attributes<ReduceAttributes>(), c.InputShape(0).Rank)),
    };

    public static readonly OpDef Mean = new("Mean", OpFamily.Reduction, "the mean over a set of axes (all of them by default)", ShapeRules.Reduce)
    {
        Function = "Mean",
        FunctionAttributes = AllAxes,
        Gradient = "g / count, broadcast back over the averaged axes",
        Math = static (o, a) => $"mean{AxesText((ReduceAttributes)a)}({o[0]})",
        Kernel = static (w, node) => EmitReduction(w, node, mean: true),
        Vjp = static (c, _) =>
        {
            var attributes = c.Attributes<ReduceAttributes>();
            var shape = c.InputShape(0);
            int spread = c.G.Expand(c.Dy, shape, OperandAxes(attributes, shape.Rank));
            return c.G.Div(spread, c.G.Size(ReducedCount(attributes, shape)));
        },
    };

    static string AxesText(ReduceAttributes attributes) => attributes.Axes.Count == 0 ? "" : "_{" + string.Join(",", attributes.Axes) + "}";

    /// <summary>Where the reduced value's axes sit in the input: all but the reduced ones, unless they were kept as 1s (then NumPy's rule applies).</summary>
    static IEnumerable<int>? OperandAxes(ReduceAttributes attributes, int rank) =>
        attributes.KeepDim ? null : Enumerable.Range(0, rank).Where(axis => !attributes.Axes.Contains(axis));

    static Dim ReducedCount(ReduceAttributes attributes, Shape shape) => Dim.Product(attributes.Axes.Select(axis => shape[axis]));

    static void EmitReduction(IKernelWriter w, Node node, bool mean)
    {
        var attributes = (ReduceAttributes)node.Attributes;
        var source = w.NodeOf(node.Input0).Shape;
        string x = w.Code(node.Input0), output = w.Output(0);
        var count = ReducedCount(attributes, source);
        string divide = mean ? $" / ({count.Code})" : "";
        w.Comment(node.Op.Math([w.Display(node.Input0)], attributes), "reduction");
        int rank = source.Rank;
        var axes = attributes.Axes;
        bool prefix = axes.Count > 0 && axes.SequenceEqual(Enumerable.Range(0, axes.Count));
        bool suffix = axes.Count > 0 && axes.SequenceEqual(Enumerable.Range(rank - axes.Count, axes.Count));
        if (axes.Count == rank || node.Shape.Length.IsOne)
        {
            w.Line($"{output}[0] = {Kernels}Reduce.Sum({x}){divide};");
            return;
        }
        if (prefix)
        {
            w.Line($"{Kernels}Reduce.SumOverRows({x}, {count.Code}, {node.Shape.LengthCode}, {output}, accumulate: false);");
        }
        else if (suffix)
        {
            string rows = node.Shape.LengthCode;
            w.Open($"for (int {w.Index} = 0; {w.Index} < {rows}; {w.Index}++)");
            w.Line($"{output}[{w.Index}] = {Kernels}Reduce.Sum({x}.Slice({w.Index} * ({count.Code}), {count.Code}));");
            w.Close();
            if (mean)
            {
                divide = "";
                w.Open($"for (int {w.Index} = 0; {w.Index} < {rows}; {w.Index}++)");
                w.Line($"{output}[{w.Index}] /= {count.Code};");
                w.Close();
            }
            return;
        }
        else
        {
            var kept = Shape.Of(Enumerable.Range(0, rank).Select(axis => axes.Contains(axis) ? Dim.One : source[axis]).ToArray());
            w.Line($"{output}.Clear();");
            w.Open($"for (int {w.Index} = 0; {w.Index} < {source.LengthCode}; {w.Index}++)");
            w.Line($"{output}[{BroadcastIndex.For(kept, source, w.Index)}] += {x}[{w.Index}];");
            w.Close();
        }
        if (mean)
        {
            w.Open($"for (int {w.Index} = 0; {w.Index} < {node.Shape.LengthCode}; {w.Index}++)");
            w.Line($"{output}[{w.Index}] /= {count.Code};");
            w.Close();
        }
    }
}
