using static AotNet.F;

namespace AotNet.Generators.Tests.Checkpoints;

/// <summary>A small generated classifier (6 → 8 → 3), quick enough to train many steps in a test.</summary>
public sealed partial class TinyClassifier(ulong seed) : Module
{
    readonly Linear fc1 = new(6, 8, rng: new Rng(seed));
    readonly Linear fc2 = new(8, 3, rng: new Rng(seed + 1));

    [Differentiable]
    public Tensor Forward([Shape("N", 6)] Tensor x) => fc2.Forward(Relu(fc1.Forward(x)));

    [Differentiable]
    public Tensor Loss([Shape("N", 6)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Forward(x), y);
}
