using System.Linq;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>Normalisations over one axis: softmax and log-softmax.</summary>
internal static partial class OpTable
{
    public static readonly OpDef Softmax = new("Softmax", OpFamily.Softmax, "softmax over one axis (the last by default)", ShapeRules.OverAxis)
    {
        Function = "Softmax",
        FunctionAttributes = AxisFrom(1),
        Gradient = "y ⊙ (g − Σ_axis g ⊙ y)",
        Math = static (o, a) => $"softmax({o[0]}) over axis {((AxisAttributes)a).Axis}",
        Kernel = static (w, node) => EmitSoftmax(w, node, log: false),
        Vjp = static (c, _) =>
        {
            int axis = c.Attributes<AxisAttributes>().Axis;
            int weighted = c.G.Sum(c.G.Mul(c.Dy, c.Y), [axis], keepDim: true);
            return c.G.Mul(c.Y, c.G.Sub(c.Dy, weighted));
        },
    };

    public static readonly OpDef LogSoftmax = new("LogSoftmax", OpFamily.Softmax, "log-softmax over one axis (the last by default)", ShapeRules.OverAxis)
    {
        Function = "LogSoftmax",
        FunctionAttributes = AxisFrom(1),
        Gradient = "g − exp(y) ⊙ Σ_axis g",
        Math = static (o, a) => $"log_softmax({o[0]}) over axis {((AxisAttributes)a).Axis}",
        Kernel = static (w, node) => EmitSoftmax(w, node, log: true),
        // dx = dy − softmax(x) ⊙ Σ_axis dy, and softmax(x) = exp(y).
        Vjp = static (c, _) =>
        {
            int sums = c.G.Sum(c.Dy, [c.Attributes<AxisAttributes>().Axis], keepDim: true);
            return c.G.Sub(c.Dy, c.G.Mul(c.G.Exp(c.Y), sums));
        },
    };

    /// <summary>The axis at <paramref name="slot"/> (the last when absent), negative ones counted from the end; one out of range stays so, for the shape rule.</summary>
    static System.Func<System.Collections.Generic.IReadOnlyList<TensorType>, CallConstants, OpAttributes> AxisFrom(int slot) => (inputs, constants) =>
    {
        int rank = inputs[0].Shape.Rank, dim = constants.Int(slot, -1);
        return new AxisAttributes(dim < 0 && dim >= -rank ? dim + rank : dim);
    };

    /// <summary>A row kernel over the last axis; otherwise the strided kernel over [outer, axis, inner].</summary>
    static void EmitSoftmax(IKernelWriter w, Node node, bool log)
    {
        var shape = node.Shape;
        int axis = ((AxisAttributes)node.Attributes).Axis;
        string x = w.Code(node.Input0), y = w.Output(0);
        if (axis == shape.Rank - 1)
        {
            w.Comment(node.Op.Math([w.Display(node.Input0)], node.Attributes), "row-wise kernel");
            w.Line($"{Kernels}Softmax.{(log ? "LogSoftmaxRows" : "SoftmaxRows")}({x}, {y}, {shape.RowsCode}, {shape.Last.Code});");
            return;
        }
        var outer = Dim.Product(shape.Dims.Take(axis));
        var inner = shape.TailLength(axis + 1);
        w.Comment(node.Op.Math([w.Display(node.Input0)], node.Attributes), "strided kernel over [outer, axis, inner]");
        w.Line($"{Kernels}Softmax.SoftmaxAxis({x}, {y}, {outer.Code}, {shape[axis].Code}, {inner.Code}, log: {(log ? "true" : "false")});");
    }
}
