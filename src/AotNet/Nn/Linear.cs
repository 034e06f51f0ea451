namespace AotNet;

/// <summary>
/// A fully connected layer, <c>y = x · weightᵀ + bias</c>, laid out as PyTorch's
/// <c>nn.Linear</c> (weight [out, in]) and initialised the same way: weight by Kaiming uniform
/// with a = √5 and bias by U(-1/√in, 1/√in). It is an ordinary <c>[Differentiable]</c> module:
/// the generator inlines its <see cref="Forward"/> into the models that call it, where the bias
/// add and what follows fuse into the matrix product's epilogue.
/// </summary>
public sealed partial class Linear : Layer
{
    /// <summary>A layer from <paramref name="inFeatures"/> to <paramref name="outFeatures"/>, drawing its initial values from <paramref name="rng"/> (or <see cref="Rng.Default"/>).</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Rng? rng = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var weight = new Tensor(outFeatures, inFeatures);
        Init.KaimingUniform(weight, MathF.Sqrt(5f), rng);
        Weight = new Parameter(weight);
        if (bias)
        {
            var values = new Tensor(outFeatures);
            float bound = 1f / MathF.Sqrt(inFeatures);
            Init.Uniform(values, -bound, bound, rng);
            Bias = new Parameter(values);
        }
    }

    /// <summary>The number of input features.</summary>
    public int InFeatures { get; }

    /// <summary>The number of output features.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, [out, in].</summary>
    [StateName("weight")]
    [Shape(nameof(OutFeatures), nameof(InFeatures))]
    public Parameter Weight { get; }

    /// <summary>The bias, [out], or null when the layer was built without one.</summary>
    [StateName("bias")]
    [Shape(nameof(OutFeatures))]
    public Parameter? Bias { get; }

    /// <summary>Applies the layer to <paramref name="x"/> […, in], giving […, out].</summary>
    [Differentiable]
    public override Tensor Forward(Tensor x) => Bias is null ? F.Linear(x, Weight) : F.Linear(x, Weight, Bias);
}
