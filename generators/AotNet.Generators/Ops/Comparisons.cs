using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>
/// Comparisons with NumPy broadcasting. Each gives a Bool mask, which carries no gradient and
/// feeds <see cref="Where"/>; <see cref="GreaterThan"/>, which relu's backward also uses, is in Elementwise.cs.
/// </summary>
internal static partial class OpTable
{
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
