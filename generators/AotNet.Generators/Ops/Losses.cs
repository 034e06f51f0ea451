using System.Collections.Generic;
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
        Function = "CrossEntropy",
        FunctionAttributes = static (inputs, constants) => new ClassLossAttributes(constants.Int(3, -100), constants.Float(5, 0f), constants.String(4, "mean"), inputs.Count > 2),
        OutputNames = ["loss", "logProbabilities"],
        OptionalArguments = [2],
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
        NonDifferentiableInputs = [1],
        Vjp = static (c, _) => c.G.SumTo(c.G.Apply(BinaryCrossEntropyGradient, c.Dy, c.X(0), c.X(1)), c.InputShape(0)),
    };

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
        if (context.Inputs[1].DType != DType.Int32 || labels.Rank != 1 || !context.Unify(labels[0], input[0], $"{context.Op}: input {input} needs one label per row; labels have shape {labels}"))
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
