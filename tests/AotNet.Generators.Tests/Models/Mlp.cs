using static AotNet.F;

namespace AotNet.Generators.Tests.Models;

/// <summary>The W1 model: 784 → 256 → 128 → 10 with ReLU, trained with cross-entropy.</summary>
public sealed partial class Mlp : Module
{
    readonly Linear fc1 = new(784, 256, rng: new Rng(1));
    readonly Linear fc2 = new(256, 128, rng: new Rng(2));
    readonly Linear fc3 = new(128, 10, rng: new Rng(3));

    [Differentiable]
    public Tensor Forward([Shape("N", 784)] Tensor x)
    {
        var h1 = Relu(fc1.Forward(x));
        var h2 = Relu(fc2.Forward(h1));
        return fc3.Forward(h2);
    }

    [Differentiable]
    public Tensor Loss([Shape("N", 784)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Forward(x), y);
}
