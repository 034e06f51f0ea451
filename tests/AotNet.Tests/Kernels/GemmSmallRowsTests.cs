using AotNet.Tests.Support;
using AotNet.Kernels;

namespace AotNet.Tests.Kernels;

/// <summary>The unpacked path for one to four rows of C, which batch-1 inference takes.</summary>
public class GemmSmallRowsTests
{
    [Theory]
    [InlineData(1, 256, 784)]
    [InlineData(2, 10, 128)]
    [InlineData(3, 33, 7)]
    [InlineData(4, 1, 1)]
    [InlineData(4, 129, 65)]
    public void MatchesTheReferenceWithEveryEpilogue(int m, int n, int k)
    {
        int seed = m * 1009 + n * 31 + k;
        foreach (bool transposeB in new[] { false, true })
        {
            Check(m, n, k, transposeB, beta: 0f, withBias: false, Activation.None, seed++);
            Check(m, n, k, transposeB, beta: 1f, withBias: true, Activation.Relu, seed++);
            Check(m, n, k, transposeB, beta: -0.5f, withBias: true, Activation.None, seed++);
        }
    }

    [Fact]
    public void BetaZeroIgnoresNaNInC()
    {
        var (a, b, _, bias) = GemmTests.RandomOperands(2, 40, 30, seed: 3);
        foreach (bool transposeB in new[] { false, true })
        {
            var c = Enumerable.Repeat(float.NaN, 2 * 40).ToArray();
            Gemm.Multiply(a, false, b, transposeB, c, 2, 40, 30, bias: bias);
            var expected = GemmReference.Multiply(a, false, b, transposeB, new float[80], 2, 40, 30, 0f, bias, Activation.None);
            GemmTests.AssertClose(expected, c, GemmReference.Magnitude(a, false, b, transposeB, new float[80], 2, 40, 30, 0f, bias));
        }
    }

    [Fact]
    public void RepeatedCallsAllocateNothing()
    {
        var (a, b, c, bias) = GemmTests.RandomOperands(1, 256, 784, seed: 9);
        Gemm.Multiply(a, false, b, true, c, 1, 256, 784, bias: bias, activation: Activation.Relu);
        long allocated = SteadyAllocations.Fewest(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                Gemm.Multiply(a, false, b, true, c, 1, 256, 784, bias: bias, activation: Activation.Relu);
            }
        });
        Assert.Equal(0, allocated);
    }

    static void Check(int m, int n, int k, bool transposeB, float beta, bool withBias, Activation activation, int seed)
    {
        var (a, b, c, bias) = GemmTests.RandomOperands(m, n, k, seed);
        var used = withBias ? bias : null;
        var expected = GemmReference.Multiply(a, false, b, transposeB, c, m, n, k, beta, used, activation);
        var magnitude = GemmReference.Magnitude(a, false, b, transposeB, c, m, n, k, beta, used);
        var actual = (float[])c.Clone();
        Gemm.Multiply(a, false, b, transposeB, actual, m, n, k, beta, used, activation);
        GemmTests.AssertClose(expected, actual, magnitude);
    }
}
