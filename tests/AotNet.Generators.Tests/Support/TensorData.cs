namespace AotNet.Generators.Tests.Support;

/// <summary>Seeded test data.</summary>
public static class TensorData
{
    /// <summary>Uniform in [-1, 1).</summary>
    public static Tensor Uniform(Rng rng, params int[] shape)
    {
        var tensor = new Tensor(shape);
        Init.Uniform(tensor, -1f, 1f, rng);
        return tensor;
    }

    /// <summary>Magnitudes in [0.2, 1] with random signs: away from the kink of relu at zero.</summary>
    public static Tensor AwayFromZero(Rng rng, params int[] shape)
    {
        var tensor = new Tensor(shape);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++)
        {
            float magnitude = 0.2f + 0.8f * rng.NextFloat();
            span[i] = rng.NextFloat() < 0.5f ? -magnitude : magnitude;
        }
        return tensor;
    }

    public static Labels Labels(Rng rng, int count, int classes)
    {
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (int)(rng.NextUInt64() % (ulong)classes);
        }
        return new Labels(labels);
    }

    public static Tensor GradFor(Tensor input) => new(input.Shape.ToArray());

    /// <summary>The largest |a − b| / max(1, |b|) over all elements; shapes must match.</summary>
    public static double MaxRelativeDifference(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)actual[i] - expected[i]) / Math.Max(1.0, Math.Abs(expected[i]));
            worst = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(worst, difference);
        }
        return worst;
    }
}
