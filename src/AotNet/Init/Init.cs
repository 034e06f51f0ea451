namespace AotNet;

/// <summary>
/// Parameter initialisers with PyTorch's formulas (<c>torch.nn.init</c>). Each fills a tensor
/// in place from a seedable <see cref="Rng"/>, <see cref="Rng.Default"/> when none is given.
/// </summary>
public static class Init
{
    /// <summary>Fills with samples of U(<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static void Uniform(Tensor tensor, float low, float high, Rng? rng = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var source = rng ?? Rng.Default;
        var values = tensor.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = source.Uniform(low, high);
        }
    }

    /// <summary>Fills with samples of N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static void Normal(Tensor tensor, float mean, float std, Rng? rng = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var source = rng ?? Rng.Default;
        var values = tensor.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = mean + std * source.Normal();
        }
    }

    /// <summary>Xavier/Glorot uniform: bound = gain·√(6 / (fan_in + fan_out)).</summary>
    public static void XavierUniform(Tensor tensor, float gain = 1f, Rng? rng = null)
    {
        var (fanIn, fanOut) = Fans(tensor);
        float bound = gain * MathF.Sqrt(6f / (fanIn + fanOut));
        Uniform(tensor, -bound, bound, rng);
    }

    /// <summary>Xavier/Glorot normal: std = gain·√(2 / (fan_in + fan_out)).</summary>
    public static void XavierNormal(Tensor tensor, float gain = 1f, Rng? rng = null)
    {
        var (fanIn, fanOut) = Fans(tensor);
        Normal(tensor, 0f, gain * MathF.Sqrt(2f / (fanIn + fanOut)), rng);
    }

    /// <summary>
    /// Kaiming/He uniform over fan-in with leaky-ReLU slope <paramref name="a"/>:
    /// bound = √(2 / (1 + a²)) · √(3 / fan_in).
    /// </summary>
    public static void KaimingUniform(Tensor tensor, float a = 0f, Rng? rng = null)
    {
        var (fanIn, _) = Fans(tensor);
        float gain = MathF.Sqrt(2f / (1f + a * a));
        float bound = gain * MathF.Sqrt(3f / fanIn);
        Uniform(tensor, -bound, bound, rng);
    }

    /// <summary>Kaiming/He normal over fan-in: std = √(2 / (1 + a²)) / √fan_in.</summary>
    public static void KaimingNormal(Tensor tensor, float a = 0f, Rng? rng = null)
    {
        var (fanIn, _) = Fans(tensor);
        Normal(tensor, 0f, MathF.Sqrt(2f / (1f + a * a)) / MathF.Sqrt(fanIn), rng);
    }

    /// <summary>Fan-in and fan-out as PyTorch computes them: dims 1 and 0, times the receptive field.</summary>
    public static (int FanIn, int FanOut) Fans(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
        {
            throw new ArgumentException($"Fan-in and fan-out need at least 2 dimensions; got shape {tensor.ShapeText}.", nameof(tensor));
        }
        int receptive = 1;
        for (int i = 2; i < tensor.Rank; i++)
        {
            receptive *= tensor.Dim(i);
        }
        return (tensor.Dim(1) * receptive, tensor.Dim(0) * receptive);
    }
}
