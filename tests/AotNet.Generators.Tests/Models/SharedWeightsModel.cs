using static AotNet.F;

namespace AotNet.Generators.Tests.Models;

/// <summary>One layer applied twice: its weight and bias receive the sum of both uses' gradients.</summary>
public sealed partial class SharedWeightsModel : Module
{
    readonly Linear shared = new(4, 4, rng: new Rng(71));

    [Differentiable]
    public Tensor Loss([RequiresGrad, Shape("N", 4)] Tensor x) => Sum(Tanh(shared.Forward(Tanh(shared.Forward(x)))) * x);
}
