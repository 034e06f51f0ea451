using static AotNet.F;

namespace AotNet.Generators.Tests.Models;

/// <summary>A block whose [Differentiable] Forward the outer model inlines.</summary>
public sealed partial class TanhBlock : Module
{
    // Internal, not private: the code generated for the outer model reaches this layer's parameters.
    internal readonly Linear fc = new(4, 4, rng: new Rng(41));

    [Differentiable]
    public Tensor Forward([Shape("N", 4)] Tensor x) => Tanh(fc.Forward(x));
}

/// <summary>Submodule inlining: block.fc.weight and head.weight train through one generated step.</summary>
public sealed partial class SubmoduleModel : Module
{
    readonly TanhBlock block = new();
    readonly Linear head = new(4, 3, rng: new Rng(42));

    [Differentiable]
    public Tensor Forward([Shape("N", 4)] Tensor x) => head.Forward(block.Forward(x));

    [Differentiable]
    public Tensor Loss([RequiresGrad, Shape("N", 4)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Forward(x), y);
}
