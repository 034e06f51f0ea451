using static AotNet.F;

namespace AotNet.Benchmarks;

/// <summary>The long elementwise chain of the generator's snapshot tests: one fused loop forward, one backward.</summary>
public sealed partial class SmoothChain
{
    const float Half = 0.5f;

    [Differentiable]
    public Tensor Forward([Shape("N", 16)] Tensor x)
    {
        var h = Gelu(x * 2f + 1f) - Silu(x) * Half;
        var e = Exp(Clamp(h, -4f, 4f)) / (1f + Square(x));
        return Pow(Sqrt(e + 1f), 1.5f) - LeakyRelu(-x, 0.1f);
    }

    [Differentiable]
    public Tensor Loss([RequiresGrad, Shape("N", 16)] Tensor x) => Sum(Forward(x));
}

/// <summary>A short chain of arithmetic only (sigmoid, mul, add), which is bound by memory rather than by math.</summary>
public sealed partial class ShortChain
{
    [Differentiable]
    public Tensor Forward([Shape("N", 16)] Tensor x, [Shape("N", 16)] Tensor y) => Sigmoid(x) * y + x;

    [Differentiable]
    public Tensor Loss([RequiresGrad, Shape("N", 16)] Tensor x, [Shape("N", 16)] Tensor y) => Sum(Forward(x, y));
}

/// <summary>ReLU and a product: its backward is the mask of W1's hidden layers, two reads and a write per element.</summary>
public sealed partial class MaskChain
{
    [Differentiable]
    public Tensor Loss([RequiresGrad, Shape("N", 16)] Tensor x, [Shape("N", 16)] Tensor y) => Sum(Relu(x) * y);
}
