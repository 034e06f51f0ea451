namespace AotNet;

/// <summary>
/// Normalises the last axis to zero mean and unit variance, then scales and shifts it, as
/// PyTorch's <c>nn.LayerNorm(normalized_shape)</c> does for one trailing axis: the biased
/// variance, <c>eps</c> inside the square root, weight 1 and bias 0 to start.
/// </summary>
public sealed partial class LayerNorm : Layer
{
    /// <summary>A layer over a last axis of <paramref name="normalizedShape"/>.</summary>
    /// <param name="normalizedShape">The size of the last axis.</param>
    /// <param name="eps">Added to the variance before its square root.</param>
    /// <param name="elementwiseAffine">Whether the layer has a weight (and a bias, unless <paramref name="bias"/> is false).</param>
    /// <param name="bias">Whether an affine layer has a bias.</param>
    public LayerNorm(int normalizedShape, float eps = 1e-5f, bool elementwiseAffine = true, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(normalizedShape);
        ArgumentOutOfRangeException.ThrowIfNegative(eps);
        NormalizedShape = normalizedShape;
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = new Parameter(Tensor.Full(1f, normalizedShape));
            if (bias)
            {
                Bias = new Parameter(new Tensor(normalizedShape));
            }
        }
    }

    /// <summary>The size of the normalised axis.</summary>
    public int NormalizedShape { get; }

    /// <summary>Added to the variance before its square root.</summary>
    public float Eps { get; }

    /// <summary>The scale, [normalizedShape], or null without an affine transform.</summary>
    [StateName("weight")]
    [Shape(nameof(NormalizedShape))]
    public Parameter? Weight { get; }

    /// <summary>The shift, [normalizedShape], or null.</summary>
    [StateName("bias")]
    [Shape(nameof(NormalizedShape))]
    public Parameter? Bias { get; }

    /// <summary>Normalises the last axis of <paramref name="x"/> […, normalizedShape].</summary>
    [Differentiable]
    public override Tensor Forward(Tensor x)
    {
        var centered = x - F.Mean(x, [-1], keepDim: true);
        var normalized = centered * F.Rsqrt(F.Mean(centered * centered, [-1], keepDim: true) + Eps);
        if (Weight is null)
        {
            return normalized;
        }
        return Bias is null ? normalized * Weight : (normalized * Weight) + Bias;
    }
}
