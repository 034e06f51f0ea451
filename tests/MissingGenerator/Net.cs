using AotNet;
using static AotNet.F;

/// <summary>A model that needs the generator for its VisitMembers.</summary>
public sealed partial class Net : Module
{
    readonly Linear fc = new(4, 2);

    [Differentiable]
    public Tensor Forward([Shape("N", 4)] Tensor x) => Relu(fc.Forward(x));
}
