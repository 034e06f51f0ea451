using System.Linq;
using AotNet.Generators.Emit;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>The graph's plumbing: leaves, constants, sizes, copies, broadcasts and projections.</summary>
internal static partial class OpTable
{
    static ShapeResult LeafShape(ShapeContext context) => throw new System.InvalidOperationException("Leaves are added with their type, not inferred.");

    /// <summary>A tensor input of the method.</summary>
    public static readonly OpDef Input = new("Input", OpFamily.Structural, "a tensor argument of the method", LeafShape) { IsLeaf = true };

    /// <summary>An integer-labels input of the method.</summary>
    public static readonly OpDef Labels = new("Labels", OpFamily.Structural, "an integer-labels argument of the method", LeafShape) { IsLeaf = true };

    /// <summary>A parameter of the model or of one of its submodules.</summary>
    public static readonly OpDef Parameter = new("Parameter", OpFamily.Structural, "a trainable parameter", LeafShape) { IsLeaf = true };

    public static readonly OpDef Constant = new("Constant", OpFamily.Structural, "a float constant, broadcast to a shape",
        static context => ShapeResult.Ok(context.Get<ConstantAttributes>().Shape))
    {
        Scalar = static (_, attributes) => Literals.Float(((ConstantAttributes)attributes).Value),
        Vector = static (_, attributes, v) => $"{v}.Create({Literals.Float(((ConstantAttributes)attributes).Value)})",
        Math = static (_, attributes) => Literals.Float(((ConstantAttributes)attributes).Value).TrimEnd('f'),
        Recomputable = true,
        Vjp = static (_, _) => throw new System.InvalidOperationException("A constant has no inputs."),
    };

    public static readonly OpDef Size = new("Size", OpFamily.Structural, "a size known when the code runs, such as N·C, as a float",
        static _ => ShapeResult.Ok(Graph.Shape.Scalar))
    {
        Scalar = static (_, attributes) => $"((float)({((SizeAttributes)attributes).Size.Code}))",
        Vector = static (_, attributes, v) => $"{v}.Create((float)({((SizeAttributes)attributes).Size.Code}))",
        Math = static (_, attributes) => ((SizeAttributes)attributes).Size.Code,
        Recomputable = true,
        Vjp = static (_, _) => throw new System.InvalidOperationException("A size has no inputs."),
    };

    public static readonly OpDef Copy = new("Copy", OpFamily.Structural, "a copy, for a value the caller receives twice", ShapeRules.SameAsInput)
    {
        Gradient = "g",
        Kernel = static (w, node) =>
        {
            w.Comment(w.Display(node.Input0), "copy");
            w.Line(w.Accumulate is { } accumulate
                ? $"{Kernels}Accumulation.Store({w.Code(node.Input0)}, {w.Output(0)}, accumulate: {accumulate});"
                : $"{w.Code(node.Input0)}.CopyTo({w.Output(0)});");
        },
        Vjp = static (c, _) => c.Dy,
        Accumulates = static _ => true,
    };

    public static readonly OpDef Expand = new("Expand", OpFamily.Structural, "a broadcast to a larger shape",
        static context => ShapeResult.Ok(context.Get<ExpandAttributes>().Shape))
    {
        Gradient = "g summed over the broadcast axes",
        Scalar = static (operands, _) => operands[0],
        Vector = static (operands, _, _) => operands[0],
        Math = static (operands, _) => operands[0],
        OperandAxes = static (node, _) => ((ExpandAttributes)node.Attributes).OperandAxes is { Count: > 0 } axes ? axes : null,
        Recomputable = true,
        Vjp = static (c, _) =>
        {
            var axes = c.Attributes<ExpandAttributes>().OperandAxes;
            if (axes.Count == 0)
            {
                return c.G.SumTo(c.Dy, c.InputShape(0));
            }
            var reduced = Enumerable.Range(0, c.Node.Shape.Rank).Where(axis => !axes.Contains(axis));
            return c.G.Sum(c.Dy, reduced, keepDim: false);
        },
    };

    /// <summary>Output k of a node with several outputs; the producing step writes it.</summary>
    public static readonly OpDef Output = new("Output", OpFamily.Structural, "output k of a node with several outputs",
        static context => ShapeResult.Ok(context.Inputs[0]))
    {
        IsProjection = true,
    };

    /// <summary>A readonly float field of the model, read into the generated code when it runs (<c>x * this.scale</c>).</summary>
    public static readonly OpDef RuntimeScalar = new("RuntimeScalar", OpFamily.Structural, "a float from the module's readonly configuration (a field, a property, or arithmetic of them), read when the code runs",
        static _ => ShapeResult.Ok(Graph.Shape.Scalar))
    {
        Scalar = static (_, attributes) => ((RuntimeScalarAttributes)attributes).Access,
        Vector = static (_, attributes, v) => $"{v}.Create({((RuntimeScalarAttributes)attributes).Access})",
        Math = static (_, attributes) => ((RuntimeScalarAttributes)attributes).Display,
        Recomputable = true,
        Vjp = static (_, _) => throw new System.InvalidOperationException("A run-time scalar has no inputs."),
    };
}
