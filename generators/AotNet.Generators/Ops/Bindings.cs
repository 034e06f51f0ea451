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
        .Select(op => new Binding(op.Function!, Binding.Direct(op.Function!, op, op.FunctionAttributes).Lower, [op], op.OptionalArguments, [.. op.OutputNames]))
        .Concat(ShapeBindings())
        .Concat(JoinBindings())
        .Concat(IndexingBindings())
        .Append(new Binding("Linear", LowerLinear, [MatMul, Add], optionalArguments: [2]))
        .Append(new Binding("CrossEntropy", LowerCrossEntropy, [CrossEntropy, CrossEntropyProbabilities, Permute, Reshape], optionalArguments: [2], "loss"))
        .Append(new Binding("NllLoss", LowerNllLoss, [NllLoss, CrossEntropy, Permute, Reshape], optionalArguments: [2], "loss"))
        .Append(new Binding("MseLoss", ElementLoss(reductionSlot: 2, static (g, d, _) => g.Mul(d, d)), [Sub, Mul, Mean, Sum], "loss"))
        .Append(new Binding("L1Loss", ElementLoss(reductionSlot: 2, static (g, d, _) => g.Apply(Abs, d)), [Sub, Abs, Mean, Sum], "loss"))
        .Append(new Binding("SmoothL1Loss", ElementLoss(reductionSlot: 2, static (g, d, c) => SmoothL1(g, d, c.Float(3, 1f), huber: false)), [Sub, Abs, GreaterThan, Where, Mul, Mean, Sum], "loss"))
        .Append(new Binding("HuberLoss", ElementLoss(reductionSlot: 2, static (g, d, c) => SmoothL1(g, d, c.Float(3, 1f), huber: true)), [Sub, Abs, GreaterThan, Where, Mul, Mean, Sum], "loss"))
        .Append(new Binding("BinaryCrossEntropy", LowerBinaryCrossEntropy, [BinaryCrossEntropy, Mul, Mean, Sum], optionalArguments: [2], "loss"))
        .Append(new Binding("BinaryCrossEntropyWithLogits", LowerBinaryCrossEntropyWithLogits, [Softplus, Neg, Mul, Sub, Add, Mean, Sum], optionalArguments: [2, 3], "loss"))
        .Concat(typeof(OpTable).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(property => property.PropertyType == typeof(Binding))
            .OrderBy(property => property.MetadataToken)
            .Select(property => (Binding)property.GetValue(null)!))
        .ToDictionary(b => b.Method, System.StringComparer.Ordinal);

    /// <summary>
    /// The operators of <c>Tensor</c> and <c>Parameter</c>, by C# token; <c>"unary -"</c> is negation.
    /// A float operand (a constant, or a readonly field) is read as a scalar node first.
    /// </summary>
    public static IReadOnlyDictionary<string, Binding> Operators => _operators ??= new Dictionary<string, Binding>(System.StringComparer.Ordinal)
    {
        ["+"] = Binding.Direct(Add),
        ["-"] = Binding.Direct(Sub),
        ["*"] = Binding.Direct(Mul),
        ["/"] = Binding.Direct(Div),
        ["unary -"] = Binding.Direct(Neg),
    };

    static IReadOnlyDictionary<string, Binding>? _functions;
    static IReadOnlyDictionary<string, Binding>? _operators;

    /// <summary>
    /// <c>x · weightᵀ + bias</c>, as PyTorch's <c>F.linear</c> computes it. Fusion folds the add
    /// (and a relu after it) back into the GEMM's epilogue.
    /// </summary>
    public static BindingResult LowerLinear(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string layer)
    {
        int x = arguments[0], weight = arguments[1], bias = arguments.Count > 2 ? arguments[2] : Binding.Omitted;
        Shape xs = graph.Shape(x), ws = graph.Shape(weight);
        if (ws.Rank != 2 || xs.Rank < 1)
        {
            return BindingResult.Fail(xs.Rank < 1 ? $"{layer} needs an input of shape [..., {(ws.Rank == 2 ? ws[1] : "in")}]; got {xs}" : $"{layer} needs a weight of shape [out, in]; got {ws}");
        }
        if (xs.Rank != 2)
        {
            // Leading axes are batch axes: view x as a matrix, apply the layer, view the result back.
            var rows = Shape.Of(Dim.Product(xs.Dims.Take(xs.Rank - 1)), xs.Last);
            int flat = xs.Rank == 1 ? graph.Reshape(x, Shape.Of(Dim.One, xs.Last)) : graph.Reshape(x, rows);
            var inner = LowerLinear(graph, [flat, weight, bias], constants, source, layer);
            if (inner.Error is not null)
            {
                return inner;
            }
            var back = Shape.Of(xs.Dims.Take(xs.Rank - 1).Append(ws[0]).ToArray());
            var view = graph.TryApply(Reshape, new ReshapeAttributes(back), source, [inner.Node], out int id, layer);
            return view.Succeeded ? new BindingResult(id, null) : BindingResult.Fail(view.Error!);
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

    /// <summary>
    /// PyTorch's <c>nll_loss</c>. On the output of a log-softmax over the classes it lowers to
    /// cross-entropy of the log-softmax's input instead: the same arithmetic (the cross-entropy
    /// kernel is the log-softmax kernel and then this gather), in one pass forward and one fused
    /// backward, and the log-softmax node is dropped when nothing else reads it.
    /// </summary>
    static BindingResult LowerNllLoss(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string name)
    {
        int input = arguments[0], labels = arguments[1], weight = arguments.Count > 2 ? arguments[2] : Binding.Omitted;
        var attributes = new ClassLossAttributes(constants.Int(3, -100), 0f, constants.String(4, "mean"), weight >= 0);
        var producer = graph[input];
        if (producer.Op == LogSoftmax && producer.Shape.Rank >= 2 && ((AxisAttributes)producer.Attributes).Axis == 1)
        {
            return ClassLossOf(graph, CrossEntropy, attributes, producer.Input0, labels, weight, source, name, probabilities: false);
        }
        return ClassLossOf(graph, NllLoss, attributes, input, labels, weight, source, name, probabilities: false);
    }

    /// <summary>
    /// A loss of <c>input − target</c>, element by element, then PyTorch's reduction: the argument at
    /// <paramref name="reductionSlot"/>, "mean" by default.
    /// </summary>
    static Lowering ElementLoss(int reductionSlot, System.Func<OpGraph, int, CallConstants, int> term) => (graph, arguments, constants, source, name) =>
    {
        var difference = graph.TryApply(Sub, NoAttributes.Instance, source, [arguments[0], arguments[1]], out int d, name);
        return difference.Succeeded ? Reduced(graph, term(graph, d, constants), constants.String(reductionSlot, "mean"), name) : BindingResult.Fail(difference.Error!);
    };

    /// <summary>"none" keeps every element; "mean" and "sum" reduce over all of them.</summary>
    static BindingResult Reduced(OpGraph graph, int loss, string reduction, string name)
    {
        var all = Enumerable.Range(0, graph.Shape(loss).Rank).ToEquatableArray();
        return reduction switch
        {
            "none" => new BindingResult(loss, null),
            "sum" => new BindingResult(graph.Apply(Sum, new ReduceAttributes(all, KeepDim: false), loss), null),
            "mean" => new BindingResult(graph.Apply(Mean, new ReduceAttributes(all, KeepDim: false), loss), null),
            _ => BindingResult.Fail($"{name}: reduction must be \"none\", \"mean\" or \"sum\"; got \"{reduction}\""),
        };
    }

    /// <summary>
    /// PyTorch's smooth L1 (beta): ½d²/β below β, |d| − ½β above; Huber (delta): ½d² below δ,
    /// δ(|d| − ½δ) above. With β = 0 smooth L1 is L1.
    /// </summary>
    static int SmoothL1(OpGraph graph, int d, float threshold, bool huber)
    {
        int abs = graph.Apply(Abs, d);
        if (!huber && threshold == 0f)
        {
            return abs;
        }
        int square = graph.Mul(graph.Mul(d, d), graph.Constant(huber ? 0.5f : 0.5f / threshold));
        int linear = graph.Sub(abs, graph.Constant(0.5f * threshold));
        if (huber)
        {
            linear = graph.Mul(linear, graph.Constant(threshold));
        }
        return graph.Where(graph.GreaterThan(graph.Constant(threshold), abs), square, linear);
    }

    /// <summary>PyTorch's <c>binary_cross_entropy</c> of probabilities: the elementwise term, times the weight, reduced.</summary>
    static BindingResult LowerBinaryCrossEntropy(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string name)
    {
        var term = graph.TryApply(BinaryCrossEntropy, NoAttributes.Instance, source, [arguments[0], arguments[1]], out int loss, name);
        if (!term.Succeeded)
        {
            return BindingResult.Fail(term.Error!);
        }
        int weight = arguments.Count > 2 ? arguments[2] : Binding.Omitted;
        if (weight >= 0)
        {
            var weighted = graph.TryApply(Mul, NoAttributes.Instance, source, [loss, weight], out loss, name);
            if (!weighted.Succeeded)
            {
                return BindingResult.Fail(weighted.Error!);
            }
        }
        return Reduced(graph, loss, constants.String(3, "mean"), name);
    }

    /// <summary>
    /// PyTorch's <c>binary_cross_entropy_with_logits</c>: <c>(1 − t)·x + (1 + (pos_weight − 1)·t)·softplus(−x)</c>,
    /// times the weight, then reduced. Softplus keeps it stable for logits of any size.
    /// </summary>
    static BindingResult LowerBinaryCrossEntropyWithLogits(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string name)
    {
        int x = arguments[0], target = arguments[1];
        int weight = arguments.Count > 2 ? arguments[2] : Binding.Omitted, posWeight = arguments.Count > 3 ? arguments[3] : Binding.Omitted;
        var check = graph.TryApply(Mul, NoAttributes.Instance, source, [x, target], out int logitTarget, name);
        if (!check.Succeeded)
        {
            return BindingResult.Fail(check.Error!);
        }
        int one = graph.Constant(1f);
        int softplus = graph.Apply(Softplus, graph.Neg(x));
        int loss;
        if (posWeight >= 0)
        {
            var fits = graph.TryApply(Mul, NoAttributes.Instance, source, [graph.Sub(posWeight, one), target], out int scaled, name);
            if (!fits.Succeeded)
            {
                return BindingResult.Fail(fits.Error!);
            }
            loss = graph.Add(graph.Sub(x, logitTarget), graph.Mul(graph.Add(one, scaled), softplus));
        }
        else
        {
            loss = graph.Add(graph.Sub(x, logitTarget), softplus);
        }
        if (weight >= 0)
        {
            var weighted = graph.TryApply(Mul, NoAttributes.Instance, source, [loss, weight], out loss, name);
            if (!weighted.Succeeded)
            {
                return BindingResult.Fail(weighted.Error!);
            }
        }
        return Reduced(graph, loss, constants.String(4, "mean"), name);
    }
}
