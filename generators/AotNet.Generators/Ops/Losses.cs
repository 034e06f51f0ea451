using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>Losses with kernels of their own.</summary>
internal static partial class OpTable
{
    /// <summary>
    /// <c>(softmax − onehot(labels)) · dy / N</c> in one sweep: a backward of its own because the
    /// fused kernel replaces a scatter, a row sum and an elementwise pass.
    /// </summary>
    public static readonly OpDef CrossEntropyBackward = new("CrossEntropyBackward", OpFamily.Loss, "the gradient of cross-entropy with respect to its logits",
        static context => ShapeResult.Ok(context[1]))
    {
        Math = static (o, _) => $"(softmax − onehot({o[2]})) · {o[0]}/N",
        Kernel = static (w, node) =>
        {
            var shape = node.Shape;
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1), w.Display(node.Inputs[2])], node.Attributes), "fused softmax cross-entropy backward");
            w.Line($"{Kernels}CrossEntropy.Backward({w.Code(node.Input1)}, {w.Code(node.Inputs[2])}, {w.Code(node.Input0)}[0], {w.Output(0)}, {shape[0].Code}, {shape[1].Code});");
        },
        NonDifferentiableInputs = [0, 1, 2],
        Vjp = static (_, _) => throw new System.InvalidOperationException("Second derivatives of cross-entropy are not supported."),
    };

    /// <summary>
    /// Mean softmax cross-entropy. Its second output, the log-probabilities, is what backward
    /// needs, so one forward pass computes both.
    /// </summary>
    public static readonly OpDef CrossEntropy = new("CrossEntropy", OpFamily.Loss, "mean softmax cross-entropy of logits [N, C] against labels [N]", ShapeRules.CrossEntropy)
    {
        Function = "CrossEntropy",
        OutputNames = ["loss", "logProbabilities"],
        Gradient = "(softmax − onehot(labels)) · g / N, one fused sweep",
        Math = static (o, _) => $"−mean_r log_softmax({o[0]})[r, {o[1]}[r]]",
        Kernel = static (w, node) =>
        {
            var logits = w.NodeOf(node.Input0).Shape;
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1)], node.Attributes), "fused log-softmax and cross-entropy, saving the log-probabilities");
            w.Line($"{w.Output(0)}[0] = {Kernels}CrossEntropy.Forward({w.Code(node.Input0)}, {w.Code(node.Input1)}, {w.Output(1)}, {logits[0].Code}, {logits[1].Code});");
        },
        NonDifferentiableInputs = [1],
        Vjp = static (c, _) => c.G.Apply(CrossEntropyBackward, c.Dy, c.G.OutputOf(c.Y, 1), c.X(1)),
    };
}
