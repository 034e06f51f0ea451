using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Emit;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>
/// The options of a loss over classes, as PyTorch's: an ignored label, label smoothing, the
/// reduction ("none", "mean" or "sum"), and whether class weights are the node's last input.
/// </summary>
internal sealed record ClassLossAttributes(int IgnoreIndex, float LabelSmoothing, string Reduction, bool Weighted) : OpAttributes
{
    /// <summary>The runtime's <c>LossReduction</c> member.</summary>
    public string ReductionCode => "global::AotNet.Kernels.LossReduction." + Reduction switch
    {
        "none" => "None",
        "sum" => "Sum",
        _ => "Mean",
    };

    public string Options => $"{Literals.Int(IgnoreIndex)}, {Literals.Float(LabelSmoothing)}, {ReductionCode}";
}

/// <summary>Losses over classes, with kernels of their own; the elementwise losses are compositions, in Bindings.cs.</summary>
internal static partial class OpTable
{
    /// <summary>
    /// <c>s · ((1 − ε) w_y (softmax − onehot(labels)) + ε/C (softmax Σw − w))</c> in one sweep: a
    /// backward of its own because the fused kernel replaces a scatter, a row sum and an elementwise pass.
    /// Inputs: the loss gradient, the saved log-probabilities, the labels, and the class weights if any.
    /// </summary>
    public static readonly OpDef CrossEntropyBackward = new("CrossEntropyBackward", OpFamily.Loss, "the gradient of cross-entropy with respect to its logits",
        static context => ShapeResult.Ok(context[1]))
    {
        Math = static (o, _) => $"(softmax − onehot({o[2]})) · {o[0]}, weighted, smoothed and reduced as the forward",
        Kernel = static (w, node) =>
        {
            var shape = node.Shape;
            var attributes = (ClassLossAttributes)node.Attributes;
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1), w.Display(node.Inputs[2])], node.Attributes), "fused softmax cross-entropy backward");
            w.Line($"{Kernels}CrossEntropy.Backward({w.Code(node.Input1)}, {w.Code(node.Inputs[2])}, {WeightCode(w, node, 3)}, {w.Code(node.Input0)}, {w.Output(0)}, {shape[0].Code}, {shape[1].Code}, {attributes.Options});");
        },
        NonDifferentiableInputs = [0, 1, 2, 3],
        Vjp = static (_, _) => throw new System.InvalidOperationException("Second derivatives of cross-entropy are not supported."),
    };

    /// <summary>
    /// Softmax cross-entropy with PyTorch's options. Its second output, the log-probabilities, is
    /// what backward needs, so one forward pass computes both.
    /// </summary>
    public static readonly OpDef CrossEntropy = new("CrossEntropy", OpFamily.Loss,
        "softmax cross-entropy of logits [N, C] against labels [N], with class weights, an ignored label, label smoothing and a reduction", ClassLoss(logProbabilities: true))
    {
        Gradient = "(softmax − onehot(labels)) · g / W (W: the weights of the rows not ignored), smoothed; one fused sweep",
        Math = static (o, a) => $"{((ClassLossAttributes)a).Reduction}_r −w_y·log_softmax({o[0]})[r, {o[1]}[r]], smoothing {((ClassLossAttributes)a).LabelSmoothing}",
        Kernel = static (w, node) =>
        {
            var logits = w.NodeOf(node.Input0).Shape;
            var attributes = (ClassLossAttributes)node.Attributes;
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1)], node.Attributes), "fused log-softmax and cross-entropy, saving the log-probabilities");
            string call = $"{Kernels}CrossEntropy.Forward({w.Code(node.Input0)}, {w.Code(node.Input1)}, {WeightCode(w, node, 2)}, {w.Output(1)}, "
                + $"{(attributes.Reduction == "none" ? w.Output(0) : "default")}, {logits[0].Code}, {logits[1].Code}, {attributes.Options})";
            w.Line(attributes.Reduction == "none" ? call + ";" : $"{w.Output(0)}[0] = {call};");
        },
        NonDifferentiableInputs = [1, 2],
        Vjp = static (c, _) => c.Attributes<ClassLossAttributes>().Weighted
            ? c.G.Apply(CrossEntropyBackward, c.Node.Attributes, c.Dy, c.G.OutputOf(c.Y, 1), c.X(1), c.X(2))
            : c.G.Apply(CrossEntropyBackward, c.Node.Attributes, c.Dy, c.G.OutputOf(c.Y, 1), c.X(1)),
    };

    /// <summary>
    /// <c>s · (softmax · Σ_c w_c t'_c − w ⊙ t')</c> per row in one sweep, t' the smoothed target. Inputs: the loss
    /// gradient, the saved log-probabilities, the target, and the class weights if any.
    /// </summary>
    public static readonly OpDef CrossEntropyProbabilitiesBackward = new("CrossEntropyProbabilitiesBackward", OpFamily.Loss,
        "the gradient of cross-entropy against class probabilities with respect to its logits", static context => ShapeResult.Ok(context[1]))
    {
        Math = static (o, _) => $"softmax · Σ w⊙{o[2]} − w⊙{o[2]}, times {o[0]}, smoothed and reduced as the forward",
        Kernel = static (w, node) =>
        {
            var shape = node.Shape;
            var attributes = (ClassLossAttributes)node.Attributes;
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1), w.Display(node.Inputs[2])], node.Attributes), "fused softmax cross-entropy backward");
            w.Line($"{Kernels}CrossEntropy.ProbabilityBackward({w.Code(node.Input1)}, {w.Code(node.Inputs[2])}, {WeightCode(w, node, 3)}, {w.Code(node.Input0)}, {w.Output(0)}, "
                + $"{shape[0].Code}, {shape[1].Code}, {Literals.Float(attributes.LabelSmoothing)}, {attributes.ReductionCode});");
        },
        NonDifferentiableInputs = [0, 1, 2, 3],
        Vjp = static (_, _) => throw new System.InvalidOperationException("Second derivatives of cross-entropy are not supported."),
    };

    /// <summary>
    /// Softmax cross-entropy of logits [N, C] against class probabilities [N, C], as PyTorch's with a float target:
    /// <c>−Σ_c w_c·t'_c·log_softmax(x)_c</c> per row, <c>t' = (1 − ε)·t + ε/C</c>; the mean divides by N. Like
    /// <see cref="CrossEntropy"/>, it saves the log-probabilities as its second output for the one-sweep backward.
    /// </summary>
    public static readonly OpDef CrossEntropyProbabilities = new("CrossEntropyProbabilities", OpFamily.Loss,
        "softmax cross-entropy of logits [N, C] against class probabilities [N, C], with class weights, label smoothing and a reduction", ProbabilityLoss)
    {
        Gradient = "(softmax · Σ w⊙t' − w⊙t') · g (/ N for the mean); none for the target; one fused sweep",
        Math = static (o, a) => $"{((ClassLossAttributes)a).Reduction}_r −Σ_c w_c·{o[1]}'[r, c]·log_softmax({o[0]})[r, c], smoothing {((ClassLossAttributes)a).LabelSmoothing}",
        Kernel = static (w, node) =>
        {
            var logits = w.NodeOf(node.Input0).Shape;
            var attributes = (ClassLossAttributes)node.Attributes;
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1)], node.Attributes), "fused log-softmax and cross-entropy, saving the log-probabilities");
            string call = $"{Kernels}CrossEntropy.ProbabilityForward({w.Code(node.Input0)}, {w.Code(node.Input1)}, {WeightCode(w, node, 2)}, {w.Output(1)}, "
                + $"{(attributes.Reduction == "none" ? w.Output(0) : "default")}, {logits[0].Code}, {logits[1].Code}, {Literals.Float(attributes.LabelSmoothing)}, {attributes.ReductionCode})";
            w.Line(attributes.Reduction == "none" ? call + ";" : $"{w.Output(0)}[0] = {call};");
        },
        NonDifferentiableInputs = [1, 2],
        Vjp = static (c, _) => c.Attributes<ClassLossAttributes>().Weighted
            ? c.G.Apply(CrossEntropyProbabilitiesBackward, c.Node.Attributes, c.Dy, c.G.OutputOf(c.Y, 1), c.X(1), c.X(2))
            : c.G.Apply(CrossEntropyProbabilitiesBackward, c.Node.Attributes, c.Dy, c.G.OutputOf(c.Y, 1), c.X(1)),
    };

    /// <summary>The gradient of NLL with respect to its input: <c>−s·w_y</c> at each row's label. Inputs: the loss gradient, the input (for its shape), the labels, the weights if any.</summary>
    public static readonly OpDef NllLossBackward = new("NllLossBackward", OpFamily.Loss, "the gradient of the negative log-likelihood with respect to its input",
        static context => ShapeResult.Ok(context[1]))
    {
        Math = static (o, _) => $"−{o[0]} · w_y at onehot({o[2]})",
        Kernel = static (w, node) =>
        {
            var shape = node.Shape;
            var attributes = (ClassLossAttributes)node.Attributes;
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1), w.Display(node.Inputs[2])], node.Attributes), "scatter of the loss gradient");
            w.Line($"{Kernels}CrossEntropy.NllBackward({w.Code(node.Inputs[2])}, {WeightCode(w, node, 3)}, {w.Code(node.Input0)}, {w.Output(0)}, {shape[0].Code}, {shape[1].Code}, {Literals.Int(attributes.IgnoreIndex)}, {attributes.ReductionCode});");
        },
        NonDifferentiableInputs = [0, 1, 2, 3],
        Vjp = static (_, _) => throw new System.InvalidOperationException("Second derivatives of the negative log-likelihood are not supported."),
    };

    /// <summary>
    /// The negative log-likelihood of log-probabilities [N, C] against labels [N]. Called on a
    /// log-softmax over the classes, it lowers to <see cref="CrossEntropy"/> instead (see Bindings.cs),
    /// so the pair is one fused pass forward and one backward.
    /// </summary>
    public static readonly OpDef NllLoss = new("NllLoss", OpFamily.Loss, "negative log-likelihood of log-probabilities [N, C] against labels [N], with class weights, an ignored label and a reduction",
        ClassLoss(logProbabilities: false))
    {
        Gradient = "−g · w_y / W at each row's label (W: the weights of the rows not ignored)",
        Math = static (o, a) => $"{((ClassLossAttributes)a).Reduction}_r −w_y·{o[0]}[r, {o[1]}[r]]",
        Kernel = static (w, node) =>
        {
            var input = w.NodeOf(node.Input0).Shape;
            var attributes = (ClassLossAttributes)node.Attributes;
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1)], node.Attributes), "gather at the labels");
            string call = $"{Kernels}CrossEntropy.Nll({w.Code(node.Input0)}, {w.Code(node.Input1)}, {WeightCode(w, node, 2)}, "
                + $"{(attributes.Reduction == "none" ? w.Output(0) : "default")}, {input[0].Code}, {input[1].Code}, {Literals.Int(attributes.IgnoreIndex)}, 0f, {attributes.ReductionCode})";
            w.Line(attributes.Reduction == "none" ? call + ";" : $"{w.Output(0)}[0] = {call};");
        },
        NonDifferentiableInputs = [1, 2],
        Vjp = static (c, _) => c.Attributes<ClassLossAttributes>().Weighted
            ? c.G.Apply(NllLossBackward, c.Node.Attributes, c.Dy, c.X(0), c.X(1), c.X(2))
            : c.G.Apply(NllLossBackward, c.Node.Attributes, c.Dy, c.X(0), c.X(1)),
    };

    /// <summary>The gradient of <see cref="BinaryCrossEntropy"/> with respect to p, from g, p and t.</summary>
    public static readonly OpDef BinaryCrossEntropyGradient = new("BinaryCrossEntropyGradient", OpFamily.Loss, "g ⊙ (p − t) / max(p(1 − p), 1e−12)", ShapeRules.Broadcast)
    {
        Math = static (o, _) => $"{o[0]} ⊙ ({o[1]} − {o[2]}) / max({o[1]}(1 − {o[1]}), 1e−12)",
        Scalar = static (o, _) => $"({o[0]} * ({o[1]} - {o[2]}) / {MathF}Max((1f - {o[1]}) * {o[1]}, 1e-12f))",
        Vector = static (o, _, v) => $"({o[0]} * ({o[1]} - {o[2]}) / {v}.Max(({v}<float>.One - {o[1]}) * {o[1]}, {v}.Create(1e-12f)))",
        NonDifferentiableInputs = [0, 1, 2],
    };

    /// <summary>
    /// <c>−(t·log p + (1 − t)·log(1 − p))</c> per element, each log clamped at −100 as PyTorch's
    /// <c>binary_cross_entropy</c> does. Elementwise, so after a sigmoid it fuses into the same loop.
    /// </summary>
    public static readonly OpDef BinaryCrossEntropy = new("BinaryCrossEntropy", OpFamily.Loss, "binary cross-entropy of probabilities p against targets t, each log clamped at −100",
        ShapeRules.Broadcast)
    {
        Gradient = "g ⊙ (p − t) / max(p(1 − p), 1e−12), as PyTorch; none for the target",
        Math = static (o, _) => $"−({o[1]}·log {o[0]} + (1 − {o[1]})·log(1 − {o[0]}))",
        Scalar = static (o, _) => $"(-({o[1]} * {MathF}Max({MathF}Log({o[0]}), -100f) + (1f - {o[1]}) * {MathF}Max({MathF}Log(1f - {o[0]}), -100f)))",
        Vector = static (o, _, v) => $"(-({o[1]} * {v}.Max({v}.Log({o[0]}), {v}.Create(-100f)) + ({v}<float>.One - {o[1]}) * {v}.Max({v}.Log({v}<float>.One - {o[0]}), {v}.Create(-100f))))",
        NonDifferentiableInputs = [1],
        Vjp = static (c, _) => c.G.SumTo(c.G.Apply(BinaryCrossEntropyGradient, c.Dy, c.X(0), c.X(1)), c.InputShape(0)),
    };

    /// <summary>
    /// PyTorch's <c>cross_entropy</c>: against labels (Int32) the fused <see cref="CrossEntropy"/>, against class
    /// probabilities (a float target of the logits' shape) <see cref="CrossEntropyProbabilities"/>. Logits
    /// [N, C, d1, …] are viewed as rows [N·d1·…, C] first (see <see cref="ClassRows"/>).
    /// </summary>
    static BindingResult LowerCrossEntropy(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string name)
    {
        int logits = arguments[0], target = arguments[1], weight = arguments.Count > 2 ? arguments[2] : Binding.Omitted;
        bool probabilities = graph[target].DType == DType.Float32;
        var attributes = probabilities
            ? new ClassLossAttributes(-100, constants.Float(4, 0f), constants.String(3, "mean"), weight >= 0)
            : new ClassLossAttributes(constants.Int(3, -100), constants.Float(5, 0f), constants.String(4, "mean"), weight >= 0);
        return ClassLossOf(graph, probabilities ? CrossEntropyProbabilities : CrossEntropy, attributes, logits, target, weight, source, name, probabilities, nameSaved: true);
    }

    /// <summary>
    /// A class loss over input [N, C] or [N, C, d1, …]: the latter viewed as rows [N·d1·…, C] (a permute that moves
    /// the classes last, then a view), so the labels [N, d1, …], in their own order, are one per row; the unreduced
    /// loss is viewed back as [N, d1, …]. A probability target is moved the same way.
    /// </summary>
    static BindingResult ClassLossOf(OpGraph graph, OpDef op, ClassLossAttributes attributes, int input, int target, int weight, SourceSpot? source, string name, bool probabilities,
        bool nameSaved = false)
    {
        Shape shape = graph.Shape(input), targets = graph.Shape(target);
        if (shape.Rank == 2 && !probabilities && targets.Rank != 1)
        {
            return BindingResult.Fail($"{name}: input {shape} needs labels of shape [{shape[0]}], one per row; got labels {targets}");
        }
        if (shape.Rank > 2)
        {
            var expected = probabilities ? shape : Shape.Of(new[] { shape[0] }.Concat(shape.Dims.Skip(2)).ToArray());
            if (targets.Rank != expected.Rank || Enumerable.Range(0, expected.Rank).Any(a => targets[a].IsConstant && expected[a].IsConstant && targets[a] != expected[a]))
            {
                return BindingResult.Fail(probabilities
                    ? $"{name}: the class probabilities target must have the shape of the logits {shape}; got {targets}"
                    : $"{name}: input {shape} needs labels of shape {expected}, its shape without the class axis 1; got labels {targets}");
            }
            for (int a = 0; a < expected.Rank; a++)
            {
                var requirement = new DimRequirement(targets[a], expected[a], $"{name}: {(probabilities ? "the class probabilities target" : "the labels")} must have shape {expected}");
                if (targets[a] != expected[a] && !graph.Builder.Requirements.Contains(requirement))
                {
                    graph.Builder.Requirements.Add(requirement);
                }
            }
            input = ClassRows(graph, input);
            if (probabilities)
            {
                target = ClassRows(graph, target);
            }
        }
        var inputs = weight >= 0 ? new[] { input, target, weight } : new[] { input, target };
        var result = graph.TryApply(op, attributes, source, inputs, out int id, name);
        if (!result.Succeeded)
        {
            return BindingResult.Fail(result.Error!);
        }
        if (nameSaved && result.Outputs!.Value.Count > 1)
        {
            int saved = graph.OutputOf(id, 1);
            if (graph[saved].Name is null)
            {
                string unique = "logProbabilities";
                for (int suffix = 2; graph.Builder.Nodes.Any(n => n.Name == unique); suffix++)
                {
                    unique = "logProbabilities" + suffix;
                }
                graph.Builder.Rename(saved, unique);
            }
        }
        if (shape.Rank > 2 && attributes.Reduction == "none")
        {
            id = graph.Reshape(id, Shape.Of(new[] { shape[0] }.Concat(shape.Dims.Skip(2)).ToArray()));
        }
        return new BindingResult(id, null);
    }

    /// <summary>[N, C, d1, …] as rows [N·d1·…, C]: the classes moved last, then viewed as a matrix.</summary>
    static int ClassRows(OpGraph graph, int x)
    {
        var shape = graph.Shape(x);
        var axes = new[] { 0 }.Concat(Enumerable.Range(2, shape.Rank - 2)).Append(1).ToEquatableArray();
        int moved = graph.Apply(Permute, new PermuteAttributes(axes), x);
        return graph.Reshape(moved, Shape.Of(Dim.Product(shape.Dims.Where((_, a) => a != 1)), shape[1]));
    }

    /// <summary>Cross-entropy over logits [N, C] against class probabilities [N, C], with weights [C] if any: the loss and the log-probabilities.</summary>
    static ShapeResult ProbabilityLoss(ShapeContext context)
    {
        var attributes = context.Get<ClassLossAttributes>();
        Shape input = context[0], target = context[1];
        if (attributes.Reduction is not ("none" or "mean" or "sum"))
        {
            return ShapeResult.Fail($"{context.Op}: reduction must be \"none\", \"mean\" or \"sum\"; got \"{attributes.Reduction}\"");
        }
        if (input.Rank != 2)
        {
            return ShapeResult.Fail($"{context.Op} needs logits of shape [N, C]; got {input}");
        }
        if (context.Inputs[1].DType != DType.Float32 || target.Rank != 2
            || !context.Unify(target[0], input[0], $"{context.Op}: the class probabilities target must have the shape of the logits {input}; got {target}")
            || !context.Unify(target[1], input[1], $"{context.Op}: the class probabilities target must have the shape of the logits {input}; got {target}"))
        {
            return ShapeResult.Fail($"{context.Op}: the class probabilities target must have the shape of the logits {input}; got {target}");
        }
        if (attributes.Weighted && (context[2].Rank != 1 || !context.Unify(context[2][0], input[1], $"{context.Op}: the class weights must have shape [{input[1]}]; got {context[2]}")))
        {
            return ShapeResult.Fail($"{context.Op}: the class weights must have shape [{input[1]}]; got {context[2]}");
        }
        if (attributes.LabelSmoothing is < 0f or > 1f)
        {
            return ShapeResult.Fail($"{context.Op}: label smoothing must be in [0, 1]; got {attributes.LabelSmoothing}");
        }
        return ShapeResult.Ok(TensorType.Float(attributes.Reduction == "none" ? Shape.Of(input[0]) : Shape.Scalar), TensorType.Float(input));
    }

    static string WeightCode(IKernelWriter w, Node node, int slot) => node.Inputs.Count > slot ? w.Code(node.Inputs[slot]) : "default";

    /// <summary>
    /// A class loss over input [N, C] and labels [N], with weights [C] if any: the loss (a scalar, or
    /// [N] without a reduction) and, for cross-entropy, the log-probabilities it saves.
    /// </summary>
    static ShapeRule ClassLoss(bool logProbabilities) => context =>
    {
        var attributes = context.Get<ClassLossAttributes>();
        Shape input = context[0], labels = context[1];
        if (attributes.Reduction is not ("none" or "mean" or "sum"))
        {
            return ShapeResult.Fail($"{context.Op}: reduction must be \"none\", \"mean\" or \"sum\"; got \"{attributes.Reduction}\"");
        }
        if (input.Rank != 2)
        {
            return ShapeResult.Fail($"{context.Op} needs an input of shape [N, C]; got {input}");
        }
        // Labels [N, d1, …] reach here with the input already viewed as rows [N·d1·…, C].
        if (context.Inputs[1].DType != DType.Int32 || labels.Rank < 1 || !context.Unify(labels.Length, input[0], $"{context.Op}: input {input} needs one label per row; labels have shape {labels}"))
        {
            return ShapeResult.Fail($"{context.Op}: input {input} needs labels of shape [{input[0]}]; got {labels}");
        }
        if (attributes.Weighted && (context[2].Rank != 1 || !context.Unify(context[2][0], input[1], $"{context.Op}: the class weights must have shape [{input[1]}]; got {context[2]}")))
        {
            return ShapeResult.Fail($"{context.Op}: the class weights must have shape [{input[1]}]; got {context[2]}");
        }
        if (attributes.LabelSmoothing is < 0f or > 1f)
        {
            return ShapeResult.Fail($"{context.Op}: label smoothing must be in [0, 1]; got {attributes.LabelSmoothing}");
        }
        var loss = TensorType.Float(attributes.Reduction == "none" ? Shape.Of(input[0]) : Shape.Scalar);
        return logProbabilities ? ShapeResult.Ok(loss, TensorType.Float(input)) : ShapeResult.Ok(loss);
    };
}
