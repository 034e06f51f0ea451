namespace AotNet;

/// <summary>
/// Layers applied one after another, as PyTorch's <c>nn.Sequential</c>, with PyTorch's names:
/// the parameters of its first layer are <c>0.weight</c> and <c>0.bias</c> under it, and so on.
/// </summary>
public sealed partial class Sequential : Layer
{
    /// <summary>A chain of <paramref name="layers"/>, applied in order.</summary>
    public Sequential(params Layer[] layers)
    {
        Layers = new ModuleList<Layer>(layers);
    }

    /// <summary>The layers, in order.</summary>
    [StateName("")]
    public ModuleList<Layer> Layers { get; }

    /// <summary>The number of layers.</summary>
    public int Count => Layers.Count;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Layer this[int index] => Layers[index];

    /// <summary><paramref name="x"/> through every layer in turn.</summary>
    [Differentiable]
    public override Tensor Forward(Tensor x)
    {
        foreach (var layer in Layers)
        {
            x = layer.Forward(x);
        }
        return x;
    }
}
