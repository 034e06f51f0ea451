namespace AotNet.Tests.Support;

/// <summary>Elementwise comparison with a combined tolerance, <c>|actual - expected| ≤ tol·(1 + |expected|)</c>.</summary>
static class Close
{
    /// <summary>Asserts every element is within tolerance and returns the largest scaled deviation, for the test log.</summary>
    public static double Assert(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Xunit.Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}.");
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double deviation = Math.Abs((double)actual[i] - expected[i]) / (1 + Math.Abs((double)expected[i]));
            worst = Math.Max(worst, deviation);
            Xunit.Assert.True(
                deviation <= tolerance,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (scaled deviation {deviation:E2} > {tolerance:E0}).");
        }
        return worst;
    }

    public static double Assert(TensorData expected, Tensor actual, double tolerance, string what)
    {
        Xunit.Assert.Equal(Shapes.Format(expected.Shape), actual.ShapeText);
        return Assert(expected.Data, actual.Span, tolerance, what);
    }
}
