using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Ops;

/// <summary>The runtime's eager methods and operators, each bound to the primitives it computes.</summary>
internal static partial class OpTable
{
    /// <summary>
    /// A reduction's attributes from a call: the axes at <paramref name="axesSlot"/> (all of them when null),
    /// negative ones counted from the end as in PyTorch, sorted; <c>keepdim</c>, and an <c>unbiased</c> flag for the moments.
    /// An axis out of range stays out of range, for the shape rule to report.
    /// </summary>
    static System.Func<IReadOnlyList<TensorType>, CallConstants, OpAttributes> AxesFrom(int axesSlot, int keepDimSlot, int unbiasedSlot = -1) => (inputs, constants) =>
    {
        int rank = inputs[0].Shape.Rank;
        var axes = constants.Axes(axesSlot) is { } given
            ? given.Select(axis => axis < 0 && axis >= -rank ? axis + rank : axis).OrderBy(axis => axis)
            : Enumerable.Range(0, rank);
        return new ReduceAttributes(axes.ToEquatableArray(), constants.Bool(keepDimSlot, false))
        {
            Correction = unbiasedSlot >= 0 && constants.Bool(unbiasedSlot, true) ? 1 : 0,
        };
    };

    /// <summary>
    /// Every method of <c>AotNet.F</c> the generator can read, by name: each entry that names a
    /// <see cref="OpDef.Function"/>, and the calls that lower to several primitives.
    /// </summary>
    public static IReadOnlyDictionary<string, Binding> Functions => _functions ??= All
        .Where(op => op.Function is not null)
        .Select(op => Binding.Direct(op.Function!, op, op.FunctionAttributes, [.. op.OutputNames]))
        .Append(new Binding("Linear", LowerLinear, [MatMul, Add], optionalArguments: [2]))
        .ToDictionary(b => b.Method, System.StringComparer.Ordinal);

    /// <summary>The operators of <c>Tensor</c>, by C# token.</summary>
    public static IReadOnlyDictionary<string, Binding> Operators => _operators ??= new Dictionary<string, Binding>(System.StringComparer.Ordinal)
    {
        ["+"] = Binding.Direct(Add),
        ["-"] = Binding.Direct(Sub),
        ["*"] = Binding.Direct(Mul),
    };

    static IReadOnlyDictionary<string, Binding>? _functions;
    static IReadOnlyDictionary<string, Binding>? _operators;

    /// <summary>
    /// <c>x · weightᵀ + bias</c>, as PyTorch's <c>nn.Linear</c> computes it. Fusion folds the add
    /// (and a relu after it) back into the GEMM's epilogue.
    /// </summary>
    public static BindingResult LowerLinear(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string layer)
    {
        int x = arguments[0], weight = arguments[1], bias = arguments.Count > 2 ? arguments[2] : Binding.Omitted;
        Shape xs = graph.Shape(x), ws = graph.Shape(weight);
        if (ws.Rank != 2 || xs.Rank != 2)
        {
            return BindingResult.Fail(xs.Rank != 2 ? $"{layer} needs an input of shape [N, {(ws.Rank == 2 ? ws[1] : "in")}]; got {xs}" : $"{layer} needs a weight of shape [out, in]; got {ws}");
        }
        if (xs[1].IsConstant && ws[1].IsConstant && xs[1] != ws[1])
        {
            return BindingResult.Fail($"{layer} expects {ws[1]} input features but the input has shape {xs}");
        }
        if (bias >= 0 && (graph.Shape(bias).Rank != 1 || (graph.Shape(bias)[0].IsConstant && ws[0].IsConstant && graph.Shape(bias)[0] != ws[0])))
        {
            return BindingResult.Fail($"{layer}: the bias must have shape [{ws[0]}]; it has {graph.Shape(bias)}");
        }
        var product = graph.TryApply(MatMul, new GemmAttributes(false, true), source, [x, weight], out int gemm, layer);
        if (!product.Succeeded)
        {
            return BindingResult.Fail(product.Error!);
        }
        if (bias < 0)
        {
            return new BindingResult(gemm, null);
        }
        var sum = graph.TryApply(Add, NoAttributes.Instance, source, [gemm, bias], out int added, layer);
        return sum.Succeeded ? new BindingResult(added, null) : BindingResult.Fail(sum.Error!);
    }
}
