using AotNet.Tests.Support;
using AotNet.Kernels;

namespace AotNet.Tests.Kernels;

/// <summary>Tests that read the process-wide allocation counter, so nothing else may run beside them.</summary>
[CollectionDefinition(nameof(GemmAllocationTests), DisableParallelization = true)]
public class GemmAllocationCollection;

[Collection(nameof(GemmAllocationTests))]
public class GemmAllocationTests
{
    [Theory]
    [InlineData(64, 256, 784, false, true)]
    [InlineData(784, 256, 64, true, false)]
    [InlineData(512, 512, 512, false, false)]
    [InlineData(7, 13, 5, false, false)]
    public void RepeatedCallAllocatesNothing(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var (a, b, c, bias) = GemmTests.RandomOperands(m, n, k, seed: 9);
        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            Gemm.Multiply(a, transposeA, b, transposeB, c, m, n, k, 1f, bias, Activation.Relu);
        }

        void Round()
        {
            for (int repeat = 0; repeat < 5; repeat++)
            {
                Gemm.Multiply(a, transposeA, b, transposeB, c, m, n, k, 0f, bias, Activation.Relu);
            }
        }

        // The calling thread, then every thread: GEMM's workers must allocate nothing either.
        Assert.Equal(0, SteadyAllocations.Fewest(Round));
        Assert.Equal(0, SteadyAllocations.FewestProcessWide(Round));

        var expected = GemmReference.Multiply(a, transposeA, b, transposeB, c, m, n, k, 0f, bias, Activation.Relu);
        GemmTests.AssertClose(expected, c, GemmReference.Magnitude(a, transposeA, b, transposeB, c, m, n, k, 0f, bias));
    }
}
