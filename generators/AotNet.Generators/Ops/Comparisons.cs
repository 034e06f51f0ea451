using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>
/// Comparisons with NumPy broadcasting. Each gives a Bool mask, which carries no gradient and
/// feeds <see cref="Where"/>; <see cref="GreaterThan"/>, which relu's backward also uses, is in Elementwise.cs.
/// </summary>
internal static partial class OpTable
{
    /// <summary><c>ZerosLike(x)</c>, <c>OnesLike(x)</c> and <c>FullLike(x, value)</c>: a constant of x's shape, reading none of x's values.</summary>
    public static Binding ZerosLikeCall => FilledLike("ZerosLike", static _ => 0f);

    public static Binding OnesLikeCall => FilledLike("OnesLike", static _ => 1f);

    public static Binding FullLikeCall => FilledLike("FullLike", static constants => constants.Float(1, 0f));

    static Binding FilledLike(string method, System.Func<CallConstants, float> value) => new Binding(method,
        (graph, arguments, constants, source, name) => new BindingResult(graph.Constant(value(constants), graph.Shape(arguments[0])), null), [Constant]);

    /// <summary><c>x.MaskedFill(mask, value)</c>: a where between the constant and x, shaped as x, as PyTorch's <c>masked_fill</c>.</summary>
    public static Binding MaskedFillCall => new Binding("MaskedFill", static (graph, arguments, constants, source, name) =>
    {
        int x = arguments[0], mask = arguments[1];
        var filled = graph.TryApply(Where, NoAttributes.Instance, source, [mask, graph.Constant(constants.Float(2, 0f)), x], out int result, name);
        if (!filled.Succeeded)
        {
            return BindingResult.Fail(filled.Error!);
        }
        return graph.Shape(result) == graph.Shape(x)
            ? new BindingResult(result, null)
            : BindingResult.Fail($"{name}: the mask {graph.Shape(mask)} must broadcast to x's shape {graph.Shape(x)}");
    }, [Where]);

    /// <summary>The broadcast shape of the operands, as a Bool mask.</summary>
    static ShapeResult MaskShape(ShapeContext context) => ShapeRules.Broadcast(context) is { Succeeded: true } result
        ? ShapeResult.Ok(new TensorType(DType.Bool, result.Shape!))
        : ShapeRules.Broadcast(context);

    public static readonly OpDef Less = new("Less", OpFamily.Elementwise, "a < b, as a mask", MaskShape)
    {
        Function = "Less",
        Scalar = static (o, _) => $"({o[0]} < {o[1]})",
        Vector = static (o, _, v) => $"{v}.LessThan({o[0]}, {o[1]})",
        Math = static (o, _) => $"{o[0]} < {o[1]}",
        NonDifferentiableInputs = [0, 1],
    };

    public static readonly OpDef GreaterEqual = new("GreaterEqual", OpFamily.Elementwise, "a ≥ b, as a mask", MaskShape)
    {
        Function = "GreaterEqual",
        Scalar = static (o, _) => $"({o[0]} >= {o[1]})",
        Vector = static (o, _, v) => $"{v}.GreaterThanOrEqual({o[0]}, {o[1]})",
        Math = static (o, _) => $"{o[0]} ≥ {o[1]}",
        NonDifferentiableInputs = [0, 1],
    };

    public static readonly OpDef LessEqual = new("LessEqual", OpFamily.Elementwise, "a ≤ b, as a mask", MaskShape)
    {
        Function = "LessEqual",
        Scalar = static (o, _) => $"({o[0]} <= {o[1]})",
        Vector = static (o, _, v) => $"{v}.LessThanOrEqual({o[0]}, {o[1]})",
        Math = static (o, _) => $"{o[0]} ≤ {o[1]}",
        NonDifferentiableInputs = [0, 1],
    };

    public static readonly OpDef Equal = new("Equal", OpFamily.Elementwise, "a = b, as a mask (PyTorch's torch.eq)", MaskShape)
    {
        Function = "Equal",
        Scalar = static (o, _) => $"({o[0]} == {o[1]})",
        Vector = static (o, _, v) => $"{v}.Equals({o[0]}, {o[1]})",
        Math = static (o, _) => $"{o[0]} = {o[1]}",
        NonDifferentiableInputs = [0, 1],
    };
}
