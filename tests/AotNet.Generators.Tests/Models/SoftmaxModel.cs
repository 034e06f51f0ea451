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
}
