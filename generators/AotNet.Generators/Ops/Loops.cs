using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>
/// A loop over a module list as one node: its body is compiled once into methods of the model
/// and called for each element, so the generated step does not grow with the list. The forward
/// saves each element's input; the backward recomputes each body from it, in reverse.
/// </summary>
internal static partial class OpTable
{
    public static readonly OpDef Loop = new("Loop", OpFamily.Structural, "a module list's body applied to each element in turn, saving each element's input",
        static context =>
        {
            var attributes = context.Get<LoopAttributes>();
            var carried = context[0];
            var saved = Graph.Shape.Of([attributes.Count, .. carried.Dims]);
            return ShapeResult.Ok(TensorType.Float(carried), TensorType.Float(saved));
        })
    {
        Math = static (o, a) => $"{((LoopAttributes)a).Body} for each element of {((LoopAttributes)a).Collection} in turn, from {o[0]}",
        Gradient = "each body's step from the last element to the first, from the input it saved",
        Kernel = static (w, node) =>
        {
            var attributes = (LoopAttributes)node.Attributes;
            w.Comment(node.Op.Math([w.Display(node.Input0)], attributes), $"a loop of {attributes.Count.Code} calls, saving each element's input");
            string symbols = string.Concat(attributes.Symbols.Select(s => ", " + s));
            string captured = string.Concat(node.Inputs.Skip(1).Select(input => ", " + w.Code(input)));
            w.Line($"this.{attributes.Body}{(w.InStep ? "Forward" : "Infer")}({attributes.Collection}, {w.Code(node.Input0)}{captured}, {w.Output(0)}, {w.Output(1)}{symbols});");
        },
        HasEffects = true,
        // Values the body only reads (slots 1 onward) were checked to need no gradient.
        NonDifferentiableInputs = [.. Enumerable.Range(1, 64)],
        Vjp = static (c, _) => c.G.Apply(LoopBackward!, c.Node.Attributes, [c.G.OutputOf(c.Y, 1), c.Dy, .. c.Node.Inputs.Skip(1)]),
    };

    public static readonly OpDef LoopBackward = new("LoopBackward", OpFamily.Structural, "the gradient of a module-list loop's input, adding into every element's parameter gradients",
        static context => ShapeResult.Ok(context[1]))
    {
        HasEffects = true,
        Math = static (o, a) => $"∂/∂input of {((LoopAttributes)a).Body} over {((LoopAttributes)a).Collection}, from {o[1]}",
        Kernel = static (w, node) =>
        {
            var attributes = (LoopAttributes)node.Attributes;
            w.Comment(node.Op.Math([w.Display(node.Inputs[0]), w.Display(node.Inputs[1])], attributes),
                "each body's step from the last element to the first, recomputed from its saved input");
            string symbols = string.Concat(attributes.Symbols.Select(s => ", " + s));
            string captured = string.Concat(node.Inputs.Skip(2).Select(input => ", " + w.Code(input)));
            w.Line($"this.{attributes.Body}Backward({attributes.Collection}, {w.Code(node.Inputs[0])}, {w.Code(node.Inputs[1])}{captured}, {w.Output(0)}{symbols});");
        },
    };

    /// <summary>The ops C# statements lower to, by construct: what <see cref="Functions"/> is for calls.</summary>
    public static readonly IReadOnlyDictionary<string, OpDef> Constructs = new Dictionary<string, OpDef>(System.StringComparer.Ordinal)
    {
        ["foreach over a module list"] = Loop,
    };
}
