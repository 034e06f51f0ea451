namespace AotNet.Tests.Support;

/// <summary>The allocation helper must ignore one-off runtime noise yet still see steady allocation.</summary>
public class SteadyAllocationsTests
{
    static object? _sink;

    [Fact]
    public void AOneOffAllocationInOneRoundIsNotCounted()
    {
        int round = 0;
        // The second call stands in for the runtime allocating once (a JIT rejit, a host log line).
        long bytes = SteadyAllocations.Fewest(() =>
        {
            if (round++ == 1)
            {
                _sink = new byte[1000];
            }
        });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void AllocationInEveryRoundIsCounted()
    {
        Assert.True(SteadyAllocations.Fewest(() => _sink = new byte[1000]) >= 1000);
        Assert.True(SteadyAllocations.FewestProcessWide(() => _sink = new byte[1000]) >= 1000);
    }
}
