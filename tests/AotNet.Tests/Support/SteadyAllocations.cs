namespace AotNet.Tests.Support;

/// <summary>
/// Bytes a piece of work allocates once it is warm. Each round is measured and the fewest bytes
/// returned: allocation inside the work shows in every round, while one-off runtime work (a loop's
/// on-stack replacement being compiled, a tiered-JIT rejit, the test host logging) shows in one.
/// A single measurement with zero tolerance fails on such noise now and then.
/// </summary>
static class SteadyAllocations
{
    /// <summary>The fewest bytes one round allocated on this thread.</summary>
    public static long Fewest(Action round, int rounds = 5) =>
        Fewest(round, rounds, GC.GetAllocatedBytesForCurrentThread);

    /// <summary>
    /// The fewest bytes one round allocated on any thread (worker threads included). Runtime
    /// threads allocate now and then too, so callers must keep other tests from running beside it.
    /// </summary>
    public static long FewestProcessWide(Action round, int rounds = 5) =>
        Fewest(round, rounds, () => GC.GetTotalAllocatedBytes(precise: true));

    static long Fewest(Action round, int rounds, Func<long> counter)
    {
        round();
        long fewest = long.MaxValue;
        for (int i = 0; i < rounds && fewest != 0; i++)
        {
            long before = counter();
            round();
            fewest = Math.Min(fewest, counter() - before);
        }
        return fewest;
    }
}
