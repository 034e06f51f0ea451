using AotNet.Compiled;
using AotNet.Kernels;
using AotNet.Tests.Support;

namespace AotNet.Tests.Compiled;

/// <summary>Tests that read the process-wide allocation counter, so nothing else may run beside them.</summary>
[CollectionDefinition(nameof(ParallelLoopTests), DisableParallelization = true)]
public class ParallelLoopCollection;

[Collection(nameof(ParallelLoopTests))]
public class ParallelLoopTests
{
    /// <summary>Records the pieces it is run over: each element's visits, the pieces, and pieces that start off a vector boundary.</summary>
    ref struct Recorder : IElementLoop
    {
        public Span<int> Visits;
        public Span<int> Counts;

        public readonly void Run(int start, int end)
        {
            Interlocked.Increment(ref Counts[0]);
            if (start % ParallelLoop.Alignment != 0)
            {
                Interlocked.Increment(ref Counts[1]);
            }
            for (int i = start; i < end; i++)
            {
                Visits[i]++;
            }
        }
    }

    static (int Pieces, int Misaligned, int[] Visits) Record(int length)
    {
        var visits = new int[length];
        var counts = new int[2];
        var loop = new Recorder { Visits = visits, Counts = counts };
        ParallelLoop.For(length, ref loop);
        return (counts[0], counts[1], visits);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(ParallelLoop.Threshold - 1)]
    public void ShortLoopRunsInOnePiece(int length)
    {
        var (pieces, _, visits) = Record(length);
        Assert.Equal(1, pieces);
        Assert.All(visits, v => Assert.Equal(1, v));
    }

    [Theory]
    [InlineData(ParallelLoop.Threshold)]
    [InlineData(ParallelLoop.Threshold * 3 + 5)]
    [InlineData(ParallelLoop.Threshold * 40 + 13)]
    public void LongLoopRunsInAlignedPiecesThatCoverEveryElementOnce(int length)
    {
        var (pieces, misaligned, visits) = Record(length);
        if (WorkerPool.ThreadCount > 1)
        {
            Assert.InRange(pieces, WorkerPool.ThreadCount, 4 * WorkerPool.ThreadCount);
        }
        Assert.Equal(0, misaligned);
        Assert.All(visits, v => Assert.Equal(1, v));
    }

    [Fact]
    public void PiecesStartOnVectorBoundariesAndEndAtTheLength()
    {
        foreach (int length in new[] { 65_536, 65_537, 100_003, 1 << 20 })
        {
            for (int pieces = 2; pieces <= 8; pieces++)
            {
                Assert.Equal(0, ParallelLoop.Start(length, 0, pieces));
                Assert.Equal(length, ParallelLoop.Start(length, pieces, pieces));
                for (int piece = 1; piece < pieces; piece++)
                {
                    int start = ParallelLoop.Start(length, piece, pieces);
                    Assert.Equal(0, start % ParallelLoop.Alignment);
                    Assert.True(start > ParallelLoop.Start(length, piece - 1, pieces), $"piece {piece} of {pieces} over {length} is empty");
                }
            }
        }
    }

    [Fact]
    public void SplitLoopAllocatesNothing()
    {
        var visits = new int[ParallelLoop.Threshold * 4];
        var counts = new int[2];
        void Round()
        {
            for (int repeat = 0; repeat < 5; repeat++)
            {
                var loop = new Recorder { Visits = visits, Counts = counts };
                ParallelLoop.For(visits.Length, ref loop);
            }
        }

        // The calling thread, then every thread: the workers must allocate nothing either.
        Assert.Equal(0, SteadyAllocations.Fewest(Round));
        Assert.Equal(0, SteadyAllocations.FewestProcessWide(Round));
    }
}
