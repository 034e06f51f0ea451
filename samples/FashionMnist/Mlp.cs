using static AotNet.F;

namespace AotNet.Samples.FashionMnist;

/// <summary>Workload W1: 784 → 256 (ReLU) → 128 (ReLU) → 10, trained with softmax cross-entropy.</summary>
public sealed partial class Mlp : Module
{
    readonly Linear fc1 = new(784, 256);
    readonly Linear fc2 = new(256, 128);
    readonly Linear fc3 = new(128, 10);

    /// <summary>Class scores (logits) for a batch of flattened 28×28 images.</summary>
    [Differentiable]
    public Tensor Forward([Shape("N", 784)] Tensor x)
    {
        var h1 = Relu(fc1.Forward(x));
        var h2 = Relu(fc2.Forward(h1));
        return fc3.Forward(h2);
    }

    /// <summary>Mean cross-entropy of the logits against the labels.</summary>
    [Differentiable]
    public Tensor Loss([Shape("N", 784)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Forward(x), y);
}
