namespace AotNet;

/// <summary>The rectifier, <c>max(x, 0)</c>, as a layer (PyTorch's <c>nn.ReLU</c>).</summary>
public sealed partial class Relu : Layer
{
    /// <inheritdoc />
    [Differentiable]
    public override Tensor Forward(Tensor x) => F.Relu(x);
}

/// <summary>GELU as a layer (PyTorch's <c>nn.GELU</c>): exact, or its tanh form with <c>approximate: "tanh"</c>.</summary>
public sealed partial class Gelu : Layer
{
    /// <summary>A GELU layer; <paramref name="approximate"/> is "none" or "tanh", as in PyTorch.</summary>
    /// <exception cref="ArgumentException"><paramref name="approximate"/> is neither.</exception>
    public Gelu(string approximate = "none")
    {
        if (approximate is not ("none" or "tanh"))
        {
            throw new ArgumentException($"approximate must be \"none\" or \"tanh\", as in PyTorch; got \"{approximate}\".", nameof(approximate));
        }
        TanhApproximation = approximate == "tanh";
    }

    /// <summary>Whether the layer uses the tanh approximation.</summary>
    public bool TanhApproximation { get; }

    /// <inheritdoc />
    [Differentiable]
    public override Tensor Forward(Tensor x) => TanhApproximation ? F.Gelu(x, "tanh") : F.Gelu(x);
}

/// <summary>SiLU (swish), <c>x · σ(x)</c>, as a layer (PyTorch's <c>nn.SiLU</c>).</summary>
public sealed partial class Silu : Layer
{
    /// <inheritdoc />
    [Differentiable]
    public override Tensor Forward(Tensor x) => F.Silu(x);
}

/// <summary>The hyperbolic tangent as a layer (PyTorch's <c>nn.Tanh</c>).</summary>
public sealed partial class Tanh : Layer
{
    /// <inheritdoc />
    [Differentiable]
    public override Tensor Forward(Tensor x) => F.Tanh(x);
}

/// <summary>The logistic sigmoid as a layer (PyTorch's <c>nn.Sigmoid</c>).</summary>
public sealed partial class Sigmoid : Layer
{
    /// <inheritdoc />
    [Differentiable]
    public override Tensor Forward(Tensor x) => F.Sigmoid(x);
}

/// <summary>The leaky rectifier as a layer (PyTorch's <c>nn.LeakyReLU</c>).</summary>
public sealed partial class LeakyRelu : Layer
{
    /// <summary>A layer with slope <paramref name="negativeSlope"/> below zero.</summary>
    public LeakyRelu(float negativeSlope = 0.01f)
    {
        NegativeSlope = negativeSlope;
    }

    /// <summary>The slope below zero.</summary>
    public float NegativeSlope { get; }

    /// <inheritdoc />
    [Differentiable]
    public override Tensor Forward(Tensor x) => F.LeakyRelu(x, NegativeSlope);
}

/// <summary>Axes <c>startDim</c> to <c>endDim</c> viewed as one, as a layer (PyTorch's <c>nn.Flatten</c>, which starts at axis 1).</summary>
public sealed partial class Flatten : Layer
{
    /// <summary>A layer that flattens axes <paramref name="startDim"/> to <paramref name="endDim"/>.</summary>
    public Flatten(int startDim = 1, int endDim = -1)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>The first axis flattened.</summary>
    public int StartDim { get; }

    /// <summary>The last axis flattened; negative counts from the end.</summary>
    public int EndDim { get; }

    /// <inheritdoc />
    [Differentiable]
    public override Tensor Forward(Tensor x) => F.Flatten(x, StartDim, EndDim);
}

/// <summary>Its input, unchanged, as a layer (PyTorch's <c>nn.Identity</c>): a placeholder in a chain.</summary>
public sealed partial class Identity : Layer
{
    /// <inheritdoc />
    [Differentiable]
    public override Tensor Forward(Tensor x) => x;
}
