using AotNet.Kernels;
using AotNet.Tests.Support;

namespace AotNet.Tests.Kernels;

public class GemmTests
{
    const double RelativeTolerance = 1e-5;

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 },
        { 7, 13, 5 },
        { 8, 48, 16 },
        { 9, 49, 17 },
        { 65, 33, 129 },
        { 1, 784, 256 },
        { 1, 256, 784 },
        { 64, 784, 256 },
        { 64, 256, 784 },
        { 256, 64, 784 },
        { 784, 256, 64 },
        { 100, 600, 300 },
        { 3, 1000, 2 },
        { 1000, 3, 2 },
        { 33, 17, 600 },
        // More than one block in every loop: columns past Nc, rows past Mc, k past Kc.
        { 5, 1100, 40 },
        { 300, 1030, 270 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTheReferenceForEveryTransposeCombination(int m, int n, int k)
    {
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                Check(GemmKernelSelection.Best, m, n, k, transposeA, transposeB, beta: 0f, withBias: false, Activation.None, seed: m * 7919 + n * 31 + k);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AppliesBetaBiasAndReluInTheEpilogue(int m, int n, int k)
    {
        int seed = m * 131 + n * 17 + k;
        Check(GemmKernelSelection.Best, m, n, k, false, true, beta: 1f, withBias: true, Activation.Relu, seed);
        Check(GemmKernelSelection.Best, m, n, k, true, false, beta: 0.5f, withBias: false, Activation.Relu, seed + 1);
        Check(GemmKernelSelection.Best, m, n, k, false, false, beta: 0f, withBias: true, Activation.None, seed + 2);
        Check(GemmKernelSelection.Best, m, n, k, true, true, beta: -2f, withBias: true, Activation.None, seed + 3);
    }

    [Fact]
    public void BetaZeroIgnoresNaNInC()
    {
        int m = 20, n = 70, k = 300;
        var (a, b, _, bias) = RandomOperands(m, n, k, seed: 5);
        var c = new float[m * n];
        Array.Fill(c, float.NaN);

        Gemm.Multiply(a, false, b, false, c, m, n, k, beta: 0f, bias: bias, activation: Activation.Relu);

        var expected = GemmReference.Multiply(a, false, b, false, new float[m * n], m, n, k, 0f, bias, Activation.Relu);
        AssertClose(expected, c, GemmReference.Magnitude(a, false, b, false, new float[m * n], m, n, k, 0f, bias));
    }

    [Fact]
    public void KZeroLeavesBetaTimesCPlusBias()
    {
        int m = 3, n = 5;
        var c = new float[] { 1, -2, 3, -4, 5, 6, -7, 8, -9, 10, 11, 12, -13, 14, 15 };
        var bias = new float[] { 0.5f, 0.5f, 0.5f, 0.5f, 0.5f };

        Gemm.Multiply([], false, [], false, c, m, n, 0, beta: 2f, bias: bias, activation: Activation.Relu);

        Assert.Equal(new float[] { 2.5f, 0, 6.5f, 0, 10.5f, 12.5f, 0, 16.5f, 0, 20.5f, 22.5f, 24.5f, 0, 28.5f, 30.5f }, c);
    }

    [KernelFact(GemmKernelKind.Vector512)]
    public void Vector512KernelMatchesTheReference() => CheckKernel(GemmKernelKind.Vector512);

    [KernelFact(GemmKernelKind.Vector256)]
    public void Vector256KernelMatchesTheReference() => CheckKernel(GemmKernelKind.Vector256);

    [KernelFact(GemmKernelKind.Scalar)]
    public void ScalarKernelMatchesTheReference() => CheckKernel(GemmKernelKind.Scalar);

    static void CheckKernel(GemmKernelKind kernel)
    {
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 13, 5), (65, 33, 129), (64, 300, 520), (130, 70, 260) })
        {
            Check(kernel, m, n, k, false, false, 0f, false, Activation.None, seed: m + n + k);
            Check(kernel, m, n, k, true, true, 1f, true, Activation.Relu, seed: m + n + k + 1);
            Check(kernel, m, n, k, false, true, 0f, true, Activation.Relu, seed: m + n + k + 2);
            Check(kernel, m, n, k, true, false, 0.5f, false, Activation.None, seed: m + n + k + 3);
        }
    }

    [Fact]
    public void RandomShapesAndOptionsMatchTheReference()
    {
        var random = new Random(20240611);
        for (int trial = 0; trial < 60; trial++)
        {
            int m = random.Next(1, 140);
            int n = random.Next(1, 140);
            int k = random.Next(1, 600);
            bool transposeA = random.Next(2) == 1;
            bool transposeB = random.Next(2) == 1;
            float beta = random.Next(3) switch { 0 => 0f, 1 => 1f, _ => (float)(random.NextDouble() * 4 - 2) };
            bool withBias = random.Next(2) == 1;
            var activation = random.Next(2) == 1 ? Activation.Relu : Activation.None;
            Check(GemmKernelSelection.Best, m, n, k, transposeA, transposeB, beta, withBias, activation, seed: trial);
        }
    }

    [Fact]
    public void ConcurrentCallersEachGetTheirOwnResult()
    {
        const int callers = 4;
        int m = 96, n = 200, k = 300;
        var results = new bool[callers];
        var threads = new Thread[callers];
        for (int t = 0; t < callers; t++)
        {
            int caller = t;
            threads[t] = new Thread(() =>
            {
                var (a, b, _, bias) = RandomOperands(m, n, k, seed: 100 + caller);
                var expected = GemmReference.Multiply(a, false, b, true, new float[m * n], m, n, k, 0f, bias, Activation.Relu);
                var magnitude = GemmReference.Magnitude(a, false, b, true, new float[m * n], m, n, k, 0f, bias);
                bool allClose = true;
                var c = new float[m * n];
                for (int repeat = 0; repeat < 20; repeat++)
                {
                    Gemm.Multiply(a, false, b, true, c, m, n, k, 0f, bias, Activation.Relu);
                    allClose &= FirstMismatch(expected, c, magnitude) < 0;
                }
                results[caller] = allClose;
            });
            threads[t].Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
        Assert.All(results, Assert.True);
    }

    [Fact]
    public void TooSmallBuffersAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[5], false, new float[6], false, new float[4], 2, 2, 3));
        Assert.Contains("m·k", error.Message);
    }

    static void Check(GemmKernelKind kernel, int m, int n, int k, bool transposeA, bool transposeB, float beta, bool withBias, Activation activation, int seed)
    {
        var (a, b, c, bias) = RandomOperands(m, n, k, seed);
        var biasOrNull = withBias ? bias : null;
        var expected = GemmReference.Multiply(a, transposeA, b, transposeB, c, m, n, k, beta, biasOrNull, activation);
        var magnitude = GemmReference.Magnitude(a, transposeA, b, transposeB, c, m, n, k, beta, biasOrNull);
        if (beta == 0f)
        {
            Array.Fill(c, float.NaN);
        }

        Gemm.Multiply(kernel, a, transposeA, b, transposeB, c, m, n, k, beta, biasOrNull, activation);

        int mismatch = FirstMismatch(expected, c, magnitude);
        Assert.True(mismatch < 0, mismatch < 0 ? "" :
            $"{kernel} m={m} n={n} k={k} tA={transposeA} tB={transposeB} beta={beta} bias={withBias} {activation}: " +
            $"C[{mismatch / n},{mismatch % n}] = {c[mismatch]}, expected {expected[mismatch]}");
    }

    internal static void AssertClose(float[] expected, float[] actual, double[] magnitude)
    {
        int mismatch = FirstMismatch(expected, actual, magnitude);
        Assert.True(mismatch < 0, mismatch < 0 ? "" : $"element {mismatch}: {actual[mismatch]}, expected {expected[mismatch]}");
    }

    static int FirstMismatch(float[] expected, float[] actual, double[] magnitude)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = RelativeTolerance * magnitude[i] + 1e-30;
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
            {
                return i;
            }
        }
        return -1;
    }

    internal static (float[] A, float[] B, float[] C, float[] Bias) RandomOperands(int m, int n, int k, int seed)
    {
        var random = new Random(seed);
        return (Fill(random, m * k), Fill(random, k * n), Fill(random, m * n), Fill(random, n));
    }

    static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return values;
    }
}
