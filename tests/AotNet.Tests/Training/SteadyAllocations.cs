namespace AotNet.Tests.Training;

/// <summary>
/// Bytes a piece of work allocates on this thread once it is warm. Each round is measured and
/// the fewest bytes returned: allocation inside the work shows in every round, while one-off
/// runtime work (a loop's on-stack replacement being compiled on this thread, say) shows in one.
/// </summary>
static class SteadyAllocations
{
    public static long Fewest(Action round, int rounds = 5)
    {
        round();
        long fewest = long.MaxValue;
        for (int i = 0; i < rounds && fewest != 0; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            round();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
