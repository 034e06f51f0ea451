namespace AotNet;

/// <summary>
/// A module that maps one tensor to one tensor, which is what <see cref="Sequential"/> chains.
/// The runtime's layers derive from it, and so may yours: override <see cref="Forward"/> with a
/// <c>[Differentiable]</c> method. A call through this base runs the body of the layer's own
/// class, which the generator knows wherever it sees the layer created.
/// </summary>
public abstract partial class Layer : Module
{
    /// <summary>The layer applied to <paramref name="x"/>.</summary>
    [Differentiable]
    public abstract Tensor Forward(Tensor x);
}
