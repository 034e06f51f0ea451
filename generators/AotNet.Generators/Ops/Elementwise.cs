using AotNet.Generators.Emit;
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
        Vector = static (o, _, v) => $"({o[0]} + {o[1]})",
        Math = static (o, _) => $"({o[0]} + {o[1]})",
        Vjp = static (c, slot) => c.G.SumTo(c.Dy, c.InputShape(slot)),
        FoldsAsBias = true,
    };

    public static readonly OpDef Sub = new("Sub", OpFamily.Elementwise, "a − b, with NumPy broadcasting", ShapeRules.Broadcast)
    {
        Function = "Sub",
        Gradient = "g and −g, summed over broadcast axes",
        Scalar = static (o, _) => $"({o[0]} - {o[1]})",
        Vector = static (o, _, v) => $"({o[0]} - {o[1]})",
        Math = static (o, _) => $"({o[0]} − {o[1]})",
        Vjp = static (c, slot) => slot == 0 ? c.G.SumTo(c.Dy, c.InputShape(0)) : c.G.Neg(c.G.SumTo(c.Dy, c.InputShape(1))),
    };

    public static readonly OpDef Mul = new("Mul", OpFamily.Elementwise, "a ⊙ b, with NumPy broadcasting", ShapeRules.Broadcast)
    {
        Function = "Mul",
        Gradient = "g ⊙ b and g ⊙ a, summed over broadcast axes",
        Scalar = static (o, _) => $"({o[0]} * {o[1]})",
        Vector = static (o, _, v) => $"({o[0]} * {o[1]})",
        Math = static (o, _) => $"({o[0]} ⊙ {o[1]})",
        Vjp = static (c, slot) => c.G.SumTo(c.G.Mul(c.Dy, c.X(1 - slot)), c.InputShape(slot)),
    };

    public static readonly OpDef Div = new("Div", OpFamily.Elementwise, "a ÷ b, with NumPy broadcasting", ShapeRules.Broadcast)
    {
        Function = "Div",
        Gradient = "g / b and −g ⊙ y / b, summed over broadcast axes",
        Scalar = static (o, _) => $"({o[0]} / {o[1]})",
        Vector = static (o, _, v) => $"({o[0]} / {o[1]})",
        Math = static (o, _) => $"({o[0]} / {o[1]})",
        // d(a/b)/da = 1/b; d(a/b)/db = −a/b² = −y/b.
        Vjp = static (c, slot) => slot == 0
            ? c.G.SumTo(c.G.Div(c.Dy, c.X(1)), c.InputShape(0))
            : c.G.SumTo(c.G.Neg(c.G.Div(c.G.Mul(c.Dy, c.Y), c.X(1))), c.InputShape(1)),
    };

    public static readonly OpDef Neg = new("Neg", OpFamily.Elementwise, "−x", ShapeRules.SameAsInput)
    {
        Function = "Neg",
        Gradient = "−g",
        Scalar = static (o, _) => $"(-{o[0]})",
        Vector = static (o, _, v) => $"(-{o[0]})",
        Math = static (o, _) => $"−{o[0]}",
        Vjp = static (c, _) => c.G.Neg(c.Dy),
    };

    public static readonly OpDef Relu = new("Relu", OpFamily.Elementwise, "max(x, 0)", ShapeRules.SameAsInput)
    {
        Function = "Relu",
        Gradient = "where(y > 0, g, 0), from the saved output",
        Scalar = static (o, _) => $"{MathF}Max({o[0]}, 0f)",
        Vector = static (o, _, v) => $"{v}.Max({o[0]}, {v}<float>.Zero)",
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
        Vector = static (o, _, v) => $"{Vectors}Tanh({o[0]})",
        Math = static (o, _) => $"tanh({o[0]})",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.G.Sub(c.G.Constant(1f), c.G.Mul(c.Y, c.Y))),
    };

    public static readonly OpDef Sigmoid = new("Sigmoid", OpFamily.Elementwise, "logistic sigmoid, 1 / (1 + e^−x)", ShapeRules.SameAsInput)
    {
        Function = "Sigmoid",
        Gradient = "g ⊙ y ⊙ (1 − y)",
        Scalar = static (o, _) => $"(1f / (1f + {MathF}Exp(-{o[0]})))",
        Vector = static (o, _, v) => $"({v}<float>.One / ({v}<float>.One + {v}.Exp(-{o[0]})))",
        Math = static (o, _) => $"σ({o[0]})",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.G.Mul(c.Y, c.G.Sub(c.G.Constant(1f), c.Y))),
    };

    public static readonly OpDef Exp = new("Exp", OpFamily.Elementwise, "e^x", ShapeRules.SameAsInput)
    {
        Function = "Exp",
        Gradient = "g ⊙ y",
        Scalar = static (o, _) => $"{MathF}Exp({o[0]})",
        Vector = static (o, _, v) => $"{v}.Exp({o[0]})",
        Math = static (o, _) => $"exp({o[0]})",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.Y),
    };

    public static readonly OpDef Softplus = new("Softplus", OpFamily.Elementwise, "log(1 + eˣ), and x itself above 20, as in PyTorch", ShapeRules.SameAsInput)
    {
        Function = "Softplus",
        Scalar = static (o, _) => $"global::AotNet.F.Softplus({o[0]})",
        Vector = static (o, _, v) => $"{Vectors}Softplus({o[0]})",
        Math = static (o, _) => $"softplus({o[0]})",
        Gradient = "g ⊙ σ(x)",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.G.Sigmoid(c.X(0))),
    };

    public static readonly OpDef Mish = new("Mish", OpFamily.Elementwise, "x · tanh(softplus(x)), as in PyTorch", ShapeRules.SameAsInput)
    {
        Function = "Mish",
        Scalar = static (o, _) => $"({o[0]} * {MathF}Tanh(global::AotNet.F.Softplus({o[0]})))",
        Vector = static (o, _, v) => $"({o[0]} * {Vectors}Tanh({Vectors}Softplus({o[0]})))",
        Math = static (o, _) => $"mish({o[0]})",
        Gradient = "g ⊙ (t + x ⊙ (1 − t²) ⊙ σ(x)), t = tanh(softplus(x))",
        Vjp = static (c, _) =>
        {
            var t = c.G.Apply(Tanh, c.G.Apply(Softplus, c.X(0)));
            var slope = c.G.Mul(c.G.Mul(c.X(0), c.G.Sub(c.G.Constant(1f), c.G.Mul(t, t))), c.G.Sigmoid(c.X(0)));
            return c.G.Mul(c.Dy, c.G.Add(t, slope));
        },
    };

    public static readonly OpDef Hardsigmoid = new("Hardsigmoid", OpFamily.Elementwise, "clamp(x + 3, 0, 6) / 6, as in PyTorch", ShapeRules.SameAsInput)
    {
        Function = "Hardsigmoid",
        Scalar = static (o, _) => $"({MathF}Min({MathF}Max({o[0]} + 3f, 0f), 6f) / 6f)",
        Vector = static (o, _, v) => $"({v}.Min({v}.Max({o[0]} + {v}.Create(3f), {v}.Create(0f)), {v}.Create(6f)) / {v}.Create(6f))",
        Math = static (o, _) => $"hardsigmoid({o[0]})",
        Gradient = "g / 6 where −3 < x < 3, else 0, as in PyTorch",
        Vjp = static (c, _) => c.G.Where(c.G.GreaterThan(c.X(0), c.G.Constant(-3f)),
            c.G.Where(c.G.GreaterThan(c.G.Constant(3f), c.X(0)), c.G.Div(c.Dy, c.G.Constant(6f)), c.G.Constant(0f)), c.G.Constant(0f)),
    };

    public static readonly OpDef Hardswish = new("Hardswish", OpFamily.Elementwise, "x · clamp(x + 3, 0, 6) / 6, as in PyTorch", ShapeRules.SameAsInput)
    {
        Function = "Hardswish",
        Scalar = static (o, _) => $"({o[0]} * {MathF}Min({MathF}Max({o[0]} + 3f, 0f), 6f) / 6f)",
        Vector = static (o, _, v) => $"({o[0]} * {v}.Min({v}.Max({o[0]} + {v}.Create(3f), {v}.Create(0f)), {v}.Create(6f)) / {v}.Create(6f))",
        Math = static (o, _) => $"hardswish({o[0]})",
        Gradient = "0 below −3, g ⊙ (x / 3 + 1/2) up to 3, g above, as in PyTorch",
        Vjp = static (c, _) => c.G.Where(c.G.GreaterThan(c.G.Constant(-3f), c.X(0)), c.G.Constant(0f),
            c.G.Where(c.G.GreaterThan(c.X(0), c.G.Constant(3f)), c.Dy,
                c.G.Mul(c.Dy, c.G.Add(c.G.Div(c.X(0), c.G.Constant(3f)), c.G.Constant(0.5f))))),
    };

    public static readonly OpDef LogSigmoid = new("LogSigmoid", OpFamily.Elementwise, "log σ(x) = −softplus(−x), finite everywhere", ShapeRules.SameAsInput)
    {
        Function = "LogSigmoid",
        Scalar = static (o, _) => $"(-global::AotNet.F.Softplus(-{o[0]}))",
        Vector = static (o, _, v) => $"(-{Vectors}Softplus(-{o[0]}))",
        Math = static (o, _) => $"log_sigmoid({o[0]})",
        Gradient = "g ⊙ σ(−x)",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.G.Sigmoid(c.G.Neg(c.X(0)))),
    };

    public static readonly OpDef Selu = new("Selu", OpFamily.Elementwise, "scale · elu(x, α), scale ≈ 1.0507 and α ≈ 1.6733, as in PyTorch", ShapeRules.SameAsInput)
    {
        Function = "Selu",
        Scalar = static (o, _) => $"(1.0507009873554805f * {Scalars}Elu({o[0]}, 1.6732632423543772f))",
        Vector = static (o, _, v) => $"({v}.Create(1.0507009873554805f) * {Vectors}Elu({o[0]}, 1.6732632423543772f))",
        Math = static (o, _) => $"selu({o[0]})",
        Gradient = "where(x > 0, scale · g, g ⊙ (y + scale · α))",
        Vjp = static (c, _) => c.G.Where(c.G.GreaterThan(c.X(0), c.G.Constant(0f)), c.G.Mul(c.Dy, c.G.Constant(1.0507009873554805f)),
            c.G.Mul(c.Dy, c.G.Add(c.Y, c.G.Constant(1.0507009873554805f * 1.6732632423543772f)))),
    };

    const string Scalars = "global::AotNet.Kernels.Elementwise.";

    const string Vectors = "global::AotNet.Kernels.ElementwiseVectors.";

    public static readonly OpDef Log = new("Log", OpFamily.Elementwise, "natural logarithm", ShapeRules.SameAsInput)
    {
        Function = "Log",
        Gradient = "g / x",
        Scalar = static (o, _) => $"{MathF}Log({o[0]})",
        Vector = static (o, _, v) => $"{v}.Log({o[0]})",
        Math = static (o, _) => $"log({o[0]})",
        Vjp = static (c, _) => c.G.Div(c.Dy, c.X(0)),
    };

    public static readonly OpDef Log1p = new("Log1p", OpFamily.Elementwise, "log(1 + x), accurate near 0", ShapeRules.SameAsInput)
    {
        Function = "Log1p",
        Gradient = "g / (1 + x)",
        Scalar = static (o, _) => $"{Scalars}Log1p({o[0]})",
        Vector = static (o, _, v) => $"{Vectors}Log1p({o[0]})",
        Math = static (o, _) => $"log1p({o[0]})",
        Vjp = static (c, _) => c.G.Div(c.Dy, c.G.Add(c.G.Constant(1f), c.X(0))),
    };

    public static readonly OpDef Sqrt = new("Sqrt", OpFamily.Elementwise, "√x", ShapeRules.SameAsInput)
    {
        Function = "Sqrt",
        Gradient = "g / (2y)",
        Scalar = static (o, _) => $"{MathF}Sqrt({o[0]})",
        Vector = static (o, _, v) => $"{v}.Sqrt({o[0]})",
        Math = static (o, _) => $"√{o[0]}",
        Vjp = static (c, _) => c.G.Div(c.Dy, c.G.Mul(c.G.Constant(2f), c.Y)),
    };

    public static readonly OpDef Rsqrt = new("Rsqrt", OpFamily.Elementwise, "1 / √x", ShapeRules.SameAsInput)
    {
        Function = "Rsqrt",
        Gradient = "−½ g ⊙ y³",
        Scalar = static (o, _) => $"(1f / {MathF}Sqrt({o[0]}))",
        Vector = static (o, _, v) => $"({v}<float>.One / {v}.Sqrt({o[0]}))",
        Math = static (o, _) => $"rsqrt({o[0]})",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.G.Mul(c.G.Constant(-0.5f), c.G.Mul(c.Y, c.G.Mul(c.Y, c.Y)))),
    };

    public static readonly OpDef Abs = new("Abs", OpFamily.Elementwise, "absolute value", ShapeRules.SameAsInput)
    {
        Function = "Abs",
        Gradient = "g ⊙ sign(x), and 0 at 0, as in PyTorch",
        Scalar = static (o, _) => $"{MathF}Abs({o[0]})",
        Vector = static (o, _, v) => $"{v}.Abs({o[0]})",
        Math = static (o, _) => $"|{o[0]}|",
        Vjp = static (c, _) => c.G.Where(c.G.GreaterThan(c.X(0), c.G.Constant(0f)), c.Dy,
            c.G.Where(c.G.GreaterThan(c.G.Constant(0f), c.X(0)), c.G.Neg(c.Dy), c.G.Constant(0f))),
    };

    public static readonly OpDef Square = new("Square", OpFamily.Elementwise, "x²", ShapeRules.SameAsInput)
    {
        Function = "Square",
        Gradient = "2 g ⊙ x",
        Scalar = static (o, _) => $"{Scalars}Square({o[0]})",
        Vector = static (o, _, v) => $"{Vectors}Square({o[0]})",
        Math = static (o, _) => $"{o[0]}²",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.G.Mul(c.G.Constant(2f), c.X(0))),
    };

    public static readonly OpDef Reciprocal = new("Reciprocal", OpFamily.Elementwise, "1 / x", ShapeRules.SameAsInput)
    {
        Function = "Reciprocal",
        Gradient = "−g ⊙ y²",
        Scalar = static (o, _) => $"(1f / {o[0]})",
        Vector = static (o, _, v) => $"({v}<float>.One / {o[0]})",
        Math = static (o, _) => $"1 / {o[0]}",
        Vjp = static (c, _) => c.G.Neg(c.G.Mul(c.Dy, c.G.Mul(c.Y, c.Y))),
    };

    /// <summary>x to a constant power; <c>F.Pow(x, 2.5f)</c>. The tensor form is <see cref="Pow"/>.</summary>
    public static readonly OpDef PowScalar = new("PowScalar", OpFamily.Elementwise, "xᵖ for a constant exponent p", ShapeRules.SameAsInput)
    {
        FunctionAttributes = static (_, k) => new PowAttributes(k.Float(1, 1f)),
        Gradient = "g ⊙ p xᵖ⁻¹, and 0 when p = 0, as in PyTorch",
        Scalar = static (o, a) => $"{MathF}Pow({o[0]}, {Literals.Float(((PowAttributes)a).Exponent)})",
        Vector = static (o, a, v) => $"{Vectors}Pow({o[0]}, {Literals.Float(((PowAttributes)a).Exponent)})",
        Math = static (o, a) => $"{o[0]}^{Literals.Float(((PowAttributes)a).Exponent).TrimEnd('f')}",
        Vjp = static (c, _) =>
        {
            float p = c.Attributes<PowAttributes>().Exponent;
            return p == 0f
                ? c.G.Mul(c.Dy, c.G.Constant(0f))
                : c.G.Mul(c.Dy, c.G.Mul(c.G.Constant(p), c.G.Pow(c.X(0), p - 1f)));
        },
    };

    public static readonly OpDef Pow = new("Pow", OpFamily.Elementwise, "aᵇ, with NumPy broadcasting", ShapeRules.Broadcast)
    {
        Gradient = "g ⊙ b aᵇ⁻¹ and g ⊙ y log a, summed over broadcast axes",
        Scalar = static (o, _) => $"{MathF}Pow({o[0]}, {o[1]})",
        Vector = static (o, _, v) => $"{Vectors}Pow({o[0]}, {o[1]})",
        Math = static (o, _) => $"{o[0]}^{o[1]}",
        Vjp = static (c, slot) => slot == 0
            ? c.G.SumTo(c.G.Mul(c.Dy, c.G.Mul(c.X(1), c.G.Pow(c.X(0), c.G.Sub(c.X(1), c.G.Constant(1f))))), c.InputShape(0))
            : c.G.SumTo(c.G.Mul(c.Dy, c.G.Mul(c.Y, c.G.Log(c.X(0)))), c.InputShape(1)),
    };

    /// <summary><c>F.Pow</c>: a constant exponent is an attribute of <see cref="PowScalar"/>; a tensor exponent is <see cref="Pow"/>.</summary>
    public static Binding PowCall => new("Pow", static (graph, arguments, constants, source, name) =>
        Binding.Apply(graph, constants.IsConstant(1) ? PowScalar : Pow, arguments, constants, source, name), [Pow, PowScalar]);

    public static readonly OpDef Sin = new("Sin", OpFamily.Elementwise, "sine", ShapeRules.SameAsInput)
    {
        Function = "Sin",
        Gradient = "g ⊙ cos x",
        Scalar = static (o, _) => $"{MathF}Sin({o[0]})",
        Vector = static (o, _, v) => $"{v}.Sin({o[0]})",
        Math = static (o, _) => $"sin({o[0]})",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.G.Cos(c.X(0))),
    };

    public static readonly OpDef Cos = new("Cos", OpFamily.Elementwise, "cosine", ShapeRules.SameAsInput)
    {
        Function = "Cos",
        Gradient = "−g ⊙ sin x",
        Scalar = static (o, _) => $"{MathF}Cos({o[0]})",
        Vector = static (o, _, v) => $"{v}.Cos({o[0]})",
        Math = static (o, _) => $"cos({o[0]})",
        Vjp = static (c, _) => c.G.Neg(c.G.Mul(c.Dy, c.G.Sin(c.X(0)))),
    };

    public static readonly OpDef LeakyRelu = new("LeakyRelu", OpFamily.Elementwise, "x above 0, else slope · x", ShapeRules.SameAsInput)
    {
        Function = "LeakyRelu",
        FunctionAttributes = static (_, k) => new LeakyReluAttributes(k.Float(1, 0.01f)),
        Gradient = "where(x > 0, g, slope · g); the slope at 0, as in PyTorch",
        Scalar = static (o, a) => $"{Scalars}LeakyRelu({o[0]}, {Literals.Float(((LeakyReluAttributes)a).NegativeSlope)})",
        Vector = static (o, a, v) => $"{Vectors}LeakyRelu({o[0]}, {Literals.Float(((LeakyReluAttributes)a).NegativeSlope)})",
        Math = static (o, a) => $"leaky_relu({o[0]}, {Literals.Float(((LeakyReluAttributes)a).NegativeSlope).TrimEnd('f')})",
        Vjp = static (c, _) => c.G.Where(c.G.GreaterThan(c.X(0), c.G.Constant(0f)), c.Dy,
            c.G.Mul(c.Dy, c.G.Constant(c.Attributes<LeakyReluAttributes>().NegativeSlope))),
    };

    public static readonly OpDef Elu = new("Elu", OpFamily.Elementwise, "x above 0, else α (eˣ − 1)", ShapeRules.SameAsInput)
    {
        Function = "Elu",
        FunctionAttributes = static (_, k) => new EluAttributes(k.Float(1, 1f)),
        Gradient = "where(x > 0, g, g ⊙ (y + α))",
        Scalar = static (o, a) => $"{Scalars}Elu({o[0]}, {Literals.Float(((EluAttributes)a).Alpha)})",
        Vector = static (o, a, v) => $"{Vectors}Elu({o[0]}, {Literals.Float(((EluAttributes)a).Alpha)})",
        Math = static (o, a) => $"elu({o[0]}, {Literals.Float(((EluAttributes)a).Alpha).TrimEnd('f')})",
        Vjp = static (c, _) => c.G.Where(c.G.GreaterThan(c.X(0), c.G.Constant(0f)), c.Dy,
            c.G.Mul(c.Dy, c.G.Add(c.Y, c.G.Constant(c.Attributes<EluAttributes>().Alpha)))),
    };

    /// <summary>The derivative of GELU, which PyTorch also computes as one backward op.</summary>
    public static readonly OpDef GeluGrad = new("GeluGrad", OpFamily.Elementwise, "the derivative of GELU, Φ(x) + x φ(x) (or of its tanh approximation)", ShapeRules.SameAsInput)
    {
        Scalar = static (o, a) => $"{Scalars}{(((GeluAttributes)a).Tanh ? "GeluTanhGrad" : "GeluGrad")}({o[0]})",
        Vector = static (o, a, v) => $"{Vectors}{(((GeluAttributes)a).Tanh ? "GeluTanhGrad" : "GeluGrad")}({o[0]})",
        Math = static (o, a) => ((GeluAttributes)a).Tanh ? $"gelu_tanh′({o[0]})" : $"gelu′({o[0]})",
        NonDifferentiableInputs = [0],
    };

    public static readonly OpDef Gelu = new("Gelu", OpFamily.Elementwise, "x Φ(x), or its tanh approximation with approximate: \"tanh\"",
        static context => context.Get<GeluAttributes>().Approximate is "none" or "tanh"
            ? ShapeResult.Ok(context.Inputs[0].Shape)
            : ShapeResult.Fail($"{context.Op}: approximate must be \"none\" or \"tanh\", as in PyTorch; got {context.Get<GeluAttributes>().Approximate ?? "null"}"))
    {
        Function = "Gelu",
        FunctionAttributes = static (_, k) => new GeluAttributes(k[1] is { IsNull: false } approximate ? approximate.String : null),
        Gradient = "g ⊙ gelu′(x)",
        Scalar = static (o, a) => $"{Scalars}{(((GeluAttributes)a).Tanh ? "GeluTanh" : "Gelu")}({o[0]})",
        Vector = static (o, a, v) => $"{Vectors}{(((GeluAttributes)a).Tanh ? "GeluTanh" : "Gelu")}({o[0]})",
        Math = static (o, a) => ((GeluAttributes)a).Tanh ? $"gelu_tanh({o[0]})" : $"gelu({o[0]})",
        Vjp = static (c, _) => c.G.Mul(c.Dy, c.G.Apply(GeluGrad, c.Node.Attributes, c.X(0))),
    };

    public static readonly OpDef Silu = new("Silu", OpFamily.Elementwise, "x σ(x)", ShapeRules.SameAsInput)
    {
        Function = "Silu",
        Gradient = "g ⊙ σ(x) (1 + x (1 − σ(x)))",
        Scalar = static (o, _) => $"{Scalars}Silu({o[0]})",
        Vector = static (o, _, v) => $"{Vectors}Silu({o[0]})",
        Math = static (o, _) => $"silu({o[0]})",
        Vjp = static (c, _) =>
        {
            int s = c.G.Sigmoid(c.X(0));
            return c.G.Mul(c.Dy, c.G.Mul(s, c.G.Add(c.G.Constant(1f), c.G.Mul(c.X(0), c.G.Sub(c.G.Constant(1f), s)))));
        },
    };

    public static readonly OpDef Clamp = new("Clamp", OpFamily.Elementwise, "min(max(x, min), max); either bound may be absent",
        static context => context.Get<ClampAttributes>() is { Min: null, Max: null }
            ? ShapeResult.Fail($"{context.Op}: at least one of min and max must be given, as in PyTorch")
            : ShapeResult.Ok(context.Inputs[0].Shape))
    {
        Function = "Clamp",
        FunctionAttributes = static (_, k) => new ClampAttributes(
            k[1] is { IsNull: false } min ? min.Float : null,
            k[2] is { IsNull: false } max ? max.Float : null),
        Gradient = "g where min ≤ x ≤ max, bounds included, as in PyTorch; else 0",
        Scalar = static (o, a) =>
        {
            var (min, max) = (ClampAttributes)a;
            string lower = min is { } low ? $"{MathF}Max({o[0]}, {Literals.Float(low)})" : o[0];
            return max is { } high ? $"{MathF}Min({lower}, {Literals.Float(high)})" : lower;
        },
        Vector = static (o, a, v) =>
        {
            var (min, max) = (ClampAttributes)a;
            string lower = min is { } low ? $"{v}.Max({o[0]}, {v}.Create({Literals.Float(low)}))" : o[0];
            return max is { } high ? $"{v}.Min({lower}, {v}.Create({Literals.Float(high)}))" : lower;
        },
        Math = static (o, a) =>
        {
            var (min, max) = (ClampAttributes)a;
            return $"clamp({o[0]}, {(min is { } low ? Literals.Float(low).TrimEnd('f') : "−∞")}, {(max is { } high ? Literals.Float(high).TrimEnd('f') : "∞")})";
        },
        Vjp = static (c, _) =>
        {
            var (min, max) = c.Attributes<ClampAttributes>();
            int gradient = c.Dy;
            if (min is { } low)
            {
                gradient = c.G.Where(c.G.GreaterThan(c.G.Constant(low), c.X(0)), c.G.Constant(0f), gradient);
            }
            if (max is { } high)
            {
                gradient = c.G.Where(c.G.GreaterThan(c.X(0), c.G.Constant(high)), c.G.Constant(0f), gradient);
            }
            return gradient;
        },
    };

    public static readonly OpDef Maximum = new("Maximum", OpFamily.Elementwise, "max(a, b), with NumPy broadcasting; NaN if either is", ShapeRules.Broadcast)
    {
        Function = "Maximum",
        Gradient = "g to the larger, split evenly at ties as in PyTorch; summed over broadcast axes",
        Scalar = static (o, _) => $"{MathF}Max({o[0]}, {o[1]})",
        Vector = static (o, _, v) => $"{v}.Max({o[0]}, {o[1]})",
        Math = static (o, _) => $"max({o[0]}, {o[1]})",
        Vjp = static (c, slot) => ExtremumVjp(c, slot, larger: true),
    };

    public static readonly OpDef Minimum = new("Minimum", OpFamily.Elementwise, "min(a, b), with NumPy broadcasting; NaN if either is", ShapeRules.Broadcast)
    {
        Function = "Minimum",
        Gradient = "g to the smaller, split evenly at ties as in PyTorch; summed over broadcast axes",
        Scalar = static (o, _) => $"{MathF}Min({o[0]}, {o[1]})",
        Vector = static (o, _, v) => $"{v}.Min({o[0]}, {o[1]})",
        Math = static (o, _) => $"min({o[0]}, {o[1]})",
        Vjp = static (c, slot) => ExtremumVjp(c, slot, larger: false),
    };

    /// <summary>where(this wins, g, where(tie, g/2, 0)), as PyTorch's maximum and minimum backward.</summary>
    static int ExtremumVjp(VjpContext c, int slot, bool larger)
    {
        int self = c.X(slot), other = c.X(1 - slot);
        int wins = larger ? c.G.GreaterThan(self, other) : c.G.GreaterThan(other, self);
        int tie = c.G.Where(c.G.Equal(self, other), c.G.Mul(c.Dy, c.G.Constant(0.5f)), c.G.Constant(0f));
        return c.G.SumTo(c.G.Where(wins, c.Dy, tie), c.InputShape(slot));
    }

    /// <summary>A comparison: a Bool mask, which carries no gradient.</summary>
    public static readonly OpDef GreaterThan = new("GreaterThan", OpFamily.Elementwise, "a > b, as a mask", MaskShape)
    {
        Function = "Greater",
        Scalar = static (o, _) => $"({o[0]} > {o[1]})",
        Vector = static (o, _, v) => $"{v}.GreaterThan({o[0]}, {o[1]})",
        Math = static (o, _) => $"{o[0]} > {o[1]}",
        NonDifferentiableInputs = [0, 1],
    };

    public static readonly OpDef Where = new("Where", OpFamily.Elementwise, "where(mask, a, b): a where the mask holds, else b", ShapeRules.Broadcast)
    {
        Function = "Where",
        Gradient = "where(mask, g, 0) and where(mask, 0, g)",
        Scalar = static (o, _) => $"({o[0]} ? {o[1]} : {o[2]})",
        Vector = static (o, _, v) => $"{v}.ConditionalSelect({o[0]}, {o[1]}, {o[2]})",
        Math = static (o, _) => $"where({o[0]}, {o[1]}, {o[2]})",
        NonDifferentiableInputs = [0],
        Vjp = static (c, slot) => c.G.SumTo(
            slot == 1 ? c.G.Where(c.X(0), c.Dy, c.G.Constant(0f)) : c.G.Where(c.X(0), c.G.Constant(0f), c.Dy),
            c.InputShape(slot)),
    };
}
