using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>
/// Ops computed one element at a time. Each gives its element as a C# expression, so fusion can
/// merge a chain of them into one loop, and states its VJP with other primitives.
/// </summary>
internal static partial class OpTable
{
    const string MathF = "global::System.MathF.";

    public static readonly OpDef Add = new("Add", OpFamily.Elementwise, "a + b, with NumPy broadcasting", ShapeRules.Broadcast)
    {
        Function = "Add",
        Gradient = "g, summed over broadcast axes",
        Scalar = static (o, _) => $"({o[0]} + {o[1]})",
        Math = static (o, _) => $"({o[0]} + {o[1]})",
        Vjp = static (c, slot) => c.G.SumTo(c.Dy, c.InputShape(slot)),
        FoldsAsBias = true,
    };

    public static readonly OpDef Sub = new("Sub", OpFamily.Elementwise, "a − b, with NumPy broadcasting", ShapeRules.Broadcast)
    {
        Function = "Sub",
        Gradient = "g and −g, summed over broadcast axes",
        Scalar = static (o, _) => $"({o[0]} - {o[1]})",
        Math = static (o, _) => $"({o[0]} − {o[1]})",
        Vjp = static (c, slot) => slot == 0 ? c.G.SumTo(c.Dy, c.InputShape(0)) : c.G.Neg(c.G.SumTo(c.Dy, c.InputShape(1))),
    };

    public static readonly OpDef Mul = new("Mul", OpFamily.Elementwise, "a ⊙ b, with NumPy broadcasting", ShapeRules.Broadcast)
    {
        Function = "Mul",
        Gradient = "g ⊙ b and g ⊙ a, summed over broadcast axes",
        Scalar = static (o, _) => $"({o[0]} * {o[1]})",
        Math = static (o, _) => $"({o[0]} ⊙ {o[1]})",
        Vjp = static (c, slot) => c.G.SumTo(c.G.Mul(c.Dy, c.X(1 - slot)), c.InputShape(slot)),
    };

    public static readonly OpDef Div = new("Div", OpFamily.Elementwise, "a ÷ b, with NumPy broadcasting", ShapeRules.Broadcast)
    {
        Gradient = "g / b and −g ⊙ y / b, summed over broadcast axes",
        Scalar = static (o, _) => $"({o[0]} / {o[1]})",
        Math = static (o, _) => $"({o[0]} / {o[1]})",
        // d(a/b)/da = 1/b; d(a/b)/db = −a/b² = −y/b.
        Vjp = static (c, slot) => slot == 0
            ? c.G.SumTo(c.G.Div(c.Dy, c.X(1)), c.InputShape(0))
            : c.G.SumTo(c.G.Neg(c.G.Div(c.G.Mul(c.Dy, c.Y), c.X(1))), c.InputShape(1)),
    };

    public static readonly OpDef Neg = new("Neg", OpFamily.Elementwise, "−x", ShapeRules.SameAsInput)
    {
        Gradient = "−g",
        Scalar = static (o, _) => $"(-{o[0]})",
        Math = static (o, _) => $"−{o[0]}",
        Vjp = static (c, _) => c.G.Neg(c.Dy),
    };

    public static readonly OpDef Relu = new("Relu", OpFamily.Elementwise, "max(x, 0)", ShapeRules.SameAsInput)
    {
        Function = "Relu",
        Gradient = "where(y > 0, g, 0), from the saved output",
        Scalar = static (o, _) => $"{MathF}Max({o[0]}, 0f)",
        Math = static (o, _) => $"relu({o[0]})",
        // The saved output is enough: y > 0 exactly where x > 0, so backward keeps no input.
        Vjp = static (c, _) => c.G.Where(c.G.GreaterThan(c.Y, c.G.Constant(0f)), c.Dy, c.G.Constant(0f)),
        EpilogueActivation = "Relu",
    };

    public static readonly OpDef Tanh = new("Tanh", OpFamily.Elementwise, "hyperbolic tangent", ShapeRules.SameAsInput)
    {
        Function = "Tanh",
        Gradient = "g ⊙ (1 − y²)",
        Scalar = static (o, _) => $"{MathF}Tanh({o[0]})",
        Math = static (o, _) => $"tanh({o[0]})",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.G.Sub(c.G.Constant(1f), c.G.Mul(c.Y, c.Y))),
    };

    public static readonly OpDef Sigmoid = new("Sigmoid", OpFamily.Elementwise, "logistic sigmoid, 1 / (1 + e^−x)", ShapeRules.SameAsInput)
    {
        Function = "Sigmoid",
        Gradient = "g ⊙ y ⊙ (1 − y)",
        Scalar = static (o, _) => $"(1f / (1f + {MathF}Exp(-{o[0]})))",
        Math = static (o, _) => $"σ({o[0]})",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.G.Mul(c.Y, c.G.Sub(c.G.Constant(1f), c.Y))),
    };

    public static readonly OpDef Exp = new("Exp", OpFamily.Elementwise, "e^x", ShapeRules.SameAsInput)
    {
        Gradient = "g ⊙ y",
        Scalar = static (o, _) => $"{MathF}Exp({o[0]})",
        Math = static (o, _) => $"exp({o[0]})",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.Y),
    };

    public static readonly OpDef Softplus = new("Softplus", OpFamily.Elementwise, "log(1 + eˣ), and x itself above 20, as in PyTorch", ShapeRules.SameAsInput)
    {
        Function = "Softplus",
        Scalar = static (o, _) => $"global::AotNet.F.Softplus({o[0]})",
        Math = static (o, _) => $"softplus({o[0]})",
        Gradient = "g ⊙ σ(x)",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.G.Sigmoid(c.X(0))),
    };

    /// <summary>A comparison: a Bool mask, which carries no gradient.</summary>
    public static readonly OpDef GreaterThan = new("GreaterThan", OpFamily.Elementwise, "a > b, as a mask",
        static context => ShapeRules.Broadcast(context) is { Succeeded: true } result
            ? ShapeResult.Ok(new TensorType(DType.Bool, result.Shape!))
            : ShapeRules.Broadcast(context))
    {
        Scalar = static (o, _) => $"({o[0]} > {o[1]})",
        Math = static (o, _) => $"{o[0]} > {o[1]}",
        NonDifferentiableInputs = [0, 1],
    };

    public static readonly OpDef Where = new("Where", OpFamily.Elementwise, "where(mask, a, b): a where the mask holds, else b", ShapeRules.Broadcast)
    {
        Gradient = "where(mask, g, 0) and where(mask, 0, g)",
        Scalar = static (o, _) => $"({o[0]} ? {o[1]} : {o[2]})",
        Math = static (o, _) => $"where({o[0]}, {o[1]}, {o[2]})",
        NonDifferentiableInputs = [0],
        Vjp = static (c, slot) => c.G.SumTo(
            slot == 1 ? c.G.Where(c.X(0), c.Dy, c.G.Constant(0f)) : c.G.Where(c.X(0), c.G.Constant(0f), c.Dy),
            c.InputShape(slot)),
    };
}
