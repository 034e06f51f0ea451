using static AotNet.F;

namespace AotNet.Benchmarks;

/// <summary>
/// The W1 model (784 → 256 → 128 → 10 with ReLU), a copy of the Fashion-MNIST sample's Mlp so this
/// project times the same generated ForwardCompiled and LossStep without referencing a sample app.
/// </summary>
public sealed partial class W1Mlp : Module
{
    readonly Linear fc1 = new(784, 256);
    readonly Linear fc2 = new(256, 128);
    readonly Linear fc3 = new(128, 10);

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
