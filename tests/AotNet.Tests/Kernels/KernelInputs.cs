namespace AotNet.Tests.Kernels;

/// <summary>Seeded logits, labels and upstream gradients for the loss-kernel tests.</summary>
static class KernelInputs
{
    public static float[] Uniform(int count, int seed, float scale)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }
        return values;
    }

    public static int[] Labels(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = random.Next(cols);
        }
        return labels;
    }

    /// <summary>An output buffer filled with NaN, so an element the kernel forgets to write shows.</summary>
    public static float[] Poisoned(int count)
    {
        var values = new float[count];
        Array.Fill(values, float.NaN);
        return values;
    }

    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.True(expected.Length <= actual.Length, $"{what}: {actual.Length} values, expected at least {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            double deviation = Math.Abs(actual[i] - expected[i]);
            Assert.True(deviation <= tolerance * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}.");
        }
    }
}
