using static AotNet.F;

namespace AotNet.Generators.Tests.Models;

/// <summary>LogSoftmax over the last axis, and CrossEntropy on inputs and on a layer's output.</summary>
public sealed partial class SoftmaxModel : Module
{
    readonly Linear classifier = new(6, 4, rng: new Rng(31));

    [Differentiable]
    public Tensor LogProbabilities([Shape("N", 5)] Tensor x) => LogSoftmax(x);

    [Differentiable]
    public Tensor LogSoftmaxLoss([RequiresGrad, Shape("N", 5)] Tensor x, [Shape("N", 5)] Tensor w) => Sum(Mul(LogSoftmax(x), w));

    [Differentiable]
    public Tensor CrossEntropyLoss([RequiresGrad, Shape("N", 4)] Tensor logits, [Shape("N")] Labels y) => CrossEntropy(logits, y);

    [Differentiable]
    public Tensor ClassifierLoss([RequiresGrad, Shape("N", 6)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(classifier.Forward(x), y);

    /// <summary>Softmax over the middle axis of [N, 3, 4], weighted and pooled with a max over the same axis.</summary>
    [Differentiable]
    public Tensor MiddleAxisLoss([RequiresGrad, Shape("N", 3, 4)] Tensor x, [Shape("N", 3, 4)] Tensor w) =>
        Sum(Mul(Softmax(x, dim: 1), w)) + Sum(Mul(LogSoftmax(x, dim: -2), w)) + Sum(LogSumExp(x, [1]));

    /// <summary>Log-softmax then weighted NLL: the generator lowers the pair to one fused cross-entropy.</summary>
    [Differentiable]
    public Tensor LogSoftmaxNllLoss([RequiresGrad, Shape("N", 4)] Tensor logits, [Shape("N")] Labels y, [Shape(4)] Tensor weight) =>
        NllLoss(LogSoftmax(logits, dim: 1), y, weight, reduction: "sum");
}
