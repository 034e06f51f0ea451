using static AotNet.F;

namespace AotNet.Generators.Tests.Models;

/// <summary>MatMul of two inputs, and of an input with a layer's weight read as a parameter.</summary>
public sealed partial class MatMulModel : Module
{
    readonly Linear proj = new(3, 4, rng: new Rng(11));

    [Differentiable]
    public Tensor Product([Shape("N", 4)] Tensor a, [Shape(4, 3)] Tensor b) => MatMul(a, b);

    [Differentiable]
    public Tensor Loss([RequiresGrad, Shape("N", 4)] Tensor a, [RequiresGrad, Shape(4, 3)] Tensor b, [Shape("N", 3)] Tensor w) =>
        Sum(Mul(MatMul(a, b), w));

    [Differentiable]
    public Tensor Project([Shape("N", 4)] Tensor x) => MatMul(x, proj.Weight);

    [Differentiable]
    public Tensor ProjectLoss([RequiresGrad, Shape("N", 4)] Tensor x, [Shape("N", 3)] Tensor w) => Sum(Mul(Project(x), w));
}
