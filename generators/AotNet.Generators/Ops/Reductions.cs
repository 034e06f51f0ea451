using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Emit;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>Reductions over a set of axes: sums, means, extremes, moments and log-sum-exp.</summary>
internal static partial class OpTable
{
    const string Kernels = "global::AotNet.Kernels.";

    public static readonly OpDef Sum = new("Sum", OpFamily.Reduction, "the sum over a set of axes (all of them by default)", ShapeRules.Reduce)
    {
        Function = "Sum",
        FunctionAttributes = AxesFrom(1, 2),
        Gradient = "g broadcast back over the summed axes",
        Math = static (o, a) => $"Σ{AxesText((ReduceAttributes)a)} {o[0]}",
        Kernel = static (w, node) => EmitReduction(w, node, mean: false),
        Vjp = static (c, _) => c.G.Expand(c.Dy, c.InputShape(0), OperandAxes(c.Attributes<ReduceAttributes>(), c.InputShape(0).Rank)),
        Accumulates = SumsDownColumns,
    };

    public static readonly OpDef Mean = new("Mean", OpFamily.Reduction, "the mean over a set of axes (all of them by default)", ShapeRules.Reduce)
    {
        Function = "Mean",
        FunctionAttributes = AxesFrom(1, 2),
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

    public static readonly OpDef Max = new("Max", OpFamily.Reduction, "the largest value over a set of axes, as torch.amax", ShapeRules.Reduce)
    {
        Function = "Max",
        FunctionAttributes = AxesFrom(1, 2),
        Gradient = "g shared equally by the elements equal to the maximum (ties split it, as in PyTorch)",
        Math = static (o, a) => $"max{AxesText((ReduceAttributes)a)} {o[0]}",
        Kernel = static (w, node) => EmitAxes(w, node, "Max"),
        Vjp = static (c, _) => ExtremeVjp(c, largest: true),
    };

    public static readonly OpDef Min = new("Min", OpFamily.Reduction, "the smallest value over a set of axes, as torch.amin", ShapeRules.Reduce)
    {
        Function = "Min",
        FunctionAttributes = AxesFrom(1, 2),
        Gradient = "g shared equally by the elements equal to the minimum (ties split it, as in PyTorch)",
        Math = static (o, a) => $"min{AxesText((ReduceAttributes)a)} {o[0]}",
        Kernel = static (w, node) => EmitAxes(w, node, "Min"),
        Vjp = static (c, _) => ExtremeVjp(c, largest: false),
    };

    public static readonly OpDef Var = new("Var", OpFamily.Reduction, "the variance over a set of axes, Σ(x − mean)² / (n − correction); unbiased: correction 1", ShapeRules.Reduce)
    {
        Function = "Var",
        FunctionAttributes = AxesFrom(1, 3, unbiasedSlot: 2),
        Gradient = "2 (x − mean) ⊙ g / (n − correction)",
        Math = static (o, a) => $"var{AxesText((ReduceAttributes)a)}({o[0]}; correction {((ReduceAttributes)a).Correction})",
        Kernel = static (w, node) => EmitAxes(w, node, "Var"),
        Vjp = static (c, _) =>
        {
            var attributes = c.Attributes<ReduceAttributes>();
            int spread = c.G.Expand(c.Dy, c.InputShape(0), OperandAxes(attributes, c.InputShape(0).Rank));
            int twice = c.G.Mul(c.G.Constant(2f), Deviation(c));
            return c.G.Div(c.G.Mul(spread, twice), c.G.Size(ReducedCount(attributes, c.InputShape(0)) - Dim.Of(attributes.Correction)));
        },
    };

    public static readonly OpDef Std = new("Std", OpFamily.Reduction, "the standard deviation over a set of axes, √var", ShapeRules.Reduce)
    {
        Function = "Std",
        FunctionAttributes = AxesFrom(1, 3, unbiasedSlot: 2),
        Gradient = "(x − mean) ⊙ g / ((n − correction) · y)",
        Math = static (o, a) => $"std{AxesText((ReduceAttributes)a)}({o[0]}; correction {((ReduceAttributes)a).Correction})",
        Kernel = static (w, node) => EmitAxes(w, node, "Std"),
        Vjp = static (c, _) =>
        {
            var attributes = c.Attributes<ReduceAttributes>();
            var shape = c.InputShape(0);
            int scaled = c.G.Div(c.Dy, c.G.Mul(c.Y, c.G.Size(ReducedCount(attributes, shape) - Dim.Of(attributes.Correction))));
            return c.G.Mul(c.G.Expand(scaled, shape, OperandAxes(attributes, shape.Rank)), Deviation(c));
        },
    };

    public static readonly OpDef LogSumExp = new("LogSumExp", OpFamily.Reduction, "log Σ exp(x) over a set of axes, computed stably", ShapeRules.Reduce)
    {
        Function = "LogSumExp",
        FunctionAttributes = AxesFrom(1, 2),
        Gradient = "g ⊙ exp(x − y): g weighted by the softmax over the axes",
        Math = static (o, a) => $"log Σ{AxesText((ReduceAttributes)a)} exp({o[0]})",
        Kernel = static (w, node) => EmitAxes(w, node, "LogSumExp"),
        Vjp = static (c, _) =>
        {
            var attributes = c.Attributes<ReduceAttributes>();
            var shape = c.InputShape(0);
            var axes = OperandAxes(attributes, shape.Rank)?.ToList();
            int softmax = c.G.Exp(c.G.Sub(c.X(0), c.G.Expand(c.Y, shape, axes)));
            return c.G.Mul(c.G.Expand(c.Dy, shape, axes), softmax);
        },
    };

    /// <summary>x − mean(x) over the node's axes, broadcast back to x's shape.</summary>
    static int Deviation(VjpContext c)
    {
        var attributes = c.Attributes<ReduceAttributes>();
        int mean = c.G.Apply(Mean, new ReduceAttributes(attributes.Axes, KeepDim: true), c.X(0));
        return c.G.Sub(c.X(0), mean);
    }

    /// <summary>
    /// The gradient of a max or min: where x equals the extreme (x is not beyond it), the arriving
    /// gradient divided by how many elements tie for it, as PyTorch's amax and amin share it.
    /// </summary>
    static int ExtremeVjp(VjpContext c, bool largest)
    {
        var attributes = c.Attributes<ReduceAttributes>();
        var shape = c.InputShape(0);
        var axes = OperandAxes(attributes, shape.Rank)?.ToList();
        int extreme = c.G.Expand(c.Y, shape, axes);
        int elsewhere = largest ? c.G.GreaterThan(extreme, c.X(0)) : c.G.GreaterThan(c.X(0), extreme);
        int zero = c.G.Constant(0f), one = c.G.Constant(1f);
        int ties = c.G.Apply(Sum, attributes, c.G.Where(elsewhere, zero, one));
        int share = c.G.Expand(c.G.Div(c.Dy, ties), shape, axes);
        return c.G.Where(elsewhere, zero, share);
    }

    /// <summary>A call of the runtime's general reduction kernel, which walks any set of axes with strides.</summary>
    static void EmitAxes(IKernelWriter w, Node node, string kind)
    {
        var attributes = (ReduceAttributes)node.Attributes;
        w.Comment(node.Op.Math([w.Display(node.Input0)], attributes), "strided reduction kernel, accumulated in double");
        w.Line(AxesCall(w, node, kind, attributes.Correction));
    }

    static string AxesCall(IKernelWriter w, Node node, string kind, int correction)
    {
        int mask = ((ReduceAttributes)node.Attributes).Axes.Aggregate(0, (bits, axis) => bits | (1 << axis));
        string dims = string.Join(", ", w.NodeOf(node.Input0).Shape.Dims.Select(d => d.Code));
        return $"{Kernels}Reduce.Axes({w.Code(node.Input0)}, stackalloc int[] {{ {dims} }}, {mask}, {w.Output(0)}, {Kernels}Reduction.{kind}, {correction});";
    }

    static string AxesText(ReduceAttributes attributes) => attributes.Axes.Count == 0 ? "" : "_{" + string.Join(",", attributes.Axes) + "}";

    /// <summary>Where the reduced value's axes sit in the input: all but the reduced ones, unless they were kept as 1s (then NumPy's rule applies).</summary>
    static IEnumerable<int>? OperandAxes(ReduceAttributes attributes, int rank) =>
        attributes.KeepDim ? null : Enumerable.Range(0, rank).Where(axis => !attributes.Axes.Contains(axis));

    static Dim ReducedCount(ReduceAttributes attributes, Shape shape) => Dim.Product(attributes.Axes.Select(axis => shape[axis]));

    /// <summary>Whether the reduction sums over leading axes only, which <see cref="EmitReduction"/> writes as one column sum that can add to its output.</summary>
    static bool SumsDownColumns(Node node)
    {
        var attributes = (ReduceAttributes)node.Attributes;
        var axes = attributes.Axes;
        int rank = attributes.KeepDim ? node.Shape.Rank : node.Shape.Rank + axes.Count;
        return axes.Count > 0 && axes.Count < rank && !node.Shape.Length.IsOne && axes.SequenceEqual(Enumerable.Range(0, axes.Count));
    }

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
            w.Line($"{Kernels}Reduce.SumOverRows({x}, {count.Code}, {node.Shape.LengthCode}, {output}, accumulate: {w.Accumulate ?? "false"});");
            if (mean)
            {
                w.Open($"for (int {w.Index} = 0; {w.Index} < {node.Shape.LengthCode}; {w.Index}++)");
                w.Line($"{output}[{w.Index}] /= {count.Code};");
                w.Close();
            }
            return;
        }
        if (suffix)
        {
            string rows = node.Shape.LengthCode;
            w.Open($"for (int {w.Index} = 0; {w.Index} < {rows}; {w.Index}++)");
            w.Line($"{output}[{w.Index}] = {Kernels}Reduce.Sum({x}.Slice({w.Index} * ({count.Code}), {count.Code})){divide};");
            w.Close();
            return;
        }
        // Any other set of axes: the runtime's strided reduction kernel, which Max, Min and the moments use too.
        w.Line(AxesCall(w, node, mean ? "Mean" : "Sum", 0));
    }
}
