namespace AotNet.Tests.Nn;

/// <summary>
/// PyTorch's default <c>nn.Linear</c> init is random, so it is checked by its properties: weight
/// by Kaiming uniform with a = √5 and bias both reduce to U(-1/√in, 1/√in).
/// </summary>
public class LinearInitTests
{
    [Fact]
    public void WeightIsOutByInAndBiasIsOut()
    {
        var layer = new Linear(7, 3, rng: new Rng(1));
        Assert.Equal("[3, 7]", layer.Weight.Value.ShapeText);
        Assert.Equal("[3]", layer.Bias!.Value.ShapeText);
        Assert.Equal("[3, 7]", layer.Weight.Grad.ShapeText);
        Assert.Equal(7, layer.InFeatures);
        Assert.Equal(3, layer.OutFeatures);
    }

    [Fact]
    public void ParametersAreNamedLikePyTorch()
    {
        var layer = new Linear(4, 2, rng: new Rng(1));
        var named = layer.NamedParameters();
        Assert.Equal(["weight", "bias"], named.Select(p => p.Key));
        Assert.Same(layer.Weight, named[0].Value);
        Assert.Same(layer.Bias, named[1].Value);
        Assert.Equal(["weight"], new Linear(4, 2, bias: false, rng: new Rng(1)).NamedParameters().Select(p => p.Key));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(100)]
    [InlineData(784)]
    public void ValuesStayWithinOneOverRootFanIn(int inFeatures)
    {
        var layer = new Linear(inFeatures, 64, rng: new Rng(2));
        float bound = 1f / MathF.Sqrt(inFeatures);
        AssertUniformWithin(layer.Weight.Value.Span, bound);
        Assert.All(layer.Bias!.Value.ToArray(), v => Assert.InRange(v, -bound, bound));
    }

    [Fact]
    public void BiasIsSpreadOverItsBound()
    {
        var layer = new Linear(16, 4000, rng: new Rng(3));
        AssertUniformWithin(layer.Bias!.Value.Span, 0.25f);
    }

    [Fact]
    public void SameSeedGivesSameValues()
    {
        var first = new Linear(5, 4, rng: new Rng(42));
        var second = new Linear(5, 4, rng: new Rng(42));
        Assert.Equal(first.Weight.Value.ToArray(), second.Weight.Value.ToArray());
        Assert.Equal(first.Bias!.Value.ToArray(), second.Bias!.Value.ToArray());
    }

    [Fact]
    public void DifferentSeedsGiveDifferentValues()
    {
        var first = new Linear(5, 4, rng: new Rng(42));
        var second = new Linear(5, 4, rng: new Rng(43));
        Assert.NotEqual(first.Weight.Value.ToArray(), second.Weight.Value.ToArray());
    }

    [Fact]
    public void GradientsStartAtZero()
    {
        var layer = new Linear(5, 4, rng: new Rng(1));
        Assert.All(layer.Weight.Grad.ToArray(), g => Assert.Equal(0f, g));
        Assert.All(layer.Bias!.Grad.ToArray(), g => Assert.Equal(0f, g));
    }

    /// <summary>Every value in [-bound, bound], reaching near both ends, with U(-b, b)'s mean 0 and variance b²/3.</summary>
    static void AssertUniformWithin(ReadOnlySpan<float> values, float bound)
    {
        double sum = 0, sumSquares = 0;
        float min = float.MaxValue, max = float.MinValue;
        foreach (float v in values)
        {
            Assert.InRange(v, -bound, bound);
            sum += v;
            sumSquares += (double)v * v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        int n = values.Length;
        double mean = sum / n;
        double variance = sumSquares / n - mean * mean;
        double expectedVariance = bound * (double)bound / 3;
        // Five standard errors: loose enough never to flake for a fixed seed, tight enough to catch a wrong bound.
        Assert.InRange(mean, -5 * Math.Sqrt(expectedVariance / n), 5 * Math.Sqrt(expectedVariance / n));
        Assert.InRange(variance, expectedVariance * (1 - 5 * Math.Sqrt(0.8 / n)), expectedVariance * (1 + 5 * Math.Sqrt(0.8 / n)));
        Assert.True(max > bound * (1 - 20.0 / n), $"max {max} is far below the bound {bound}");
        Assert.True(min < -bound * (1 - 20.0 / n), $"min {min} is far above -{bound}");
    }
}
