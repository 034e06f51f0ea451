using System.Runtime.CompilerServices;
using AotNet.Kernels;

namespace AotNet.Compiled;

/// <summary>
/// Runs a generated elementwise loop on the calling thread, or, when it is long enough for the
/// hand-off to pay, in pieces across <see cref="WorkerPool"/>'s threads. Generated code needs no
/// <c>unsafe</c> to call it: the loop is a struct passed by reference and run through a generic
/// constrained call, so a call allocates nothing and is fully compiled ahead of time.
/// </summary>
public static class ParallelLoop
{
    /// <summary>
    /// Loops shorter than this many elements run on the calling thread. Measured on two shared
    /// cores with <c>Benchmarks split</c> (docs/performance.md): the cheapest loop, a mask with two
    /// reads and a write per element, breaks even at about this length and gains from four times
    /// it; heavier chains gain well below it. The generator keeps a copy of it
    /// (<c>StepEmitter.ParallelThreshold</c>), so it writes loops of a fixed, shorter length inline.
    /// </summary>
    public const int Threshold = 1 << 16;

    /// <summary>
    /// Pieces start at multiples of this many elements, the widest vector's float count, so every
    /// piece but the last runs only whole vectors and the last ends with the same scalar tail as
    /// one pass would: each element is computed by the same instructions either way.
    /// </summary>
    public const int Alignment = 16;

    /// <summary>
    /// Fewest elements per piece, up to four pieces per thread: more, smaller pieces let a thread
    /// the OS has descheduled hold up less of the loop.
    /// </summary>
    const int PieceLength = 1 << 15;

    /// <summary>
    /// Threshold the running process splits at: <see cref="Threshold"/>, changed only by benchmarks
    /// and tests that time or check both paths in one process.
    /// </summary>
    internal static int threshold = Threshold;

    /// <summary>Runs <paramref name="loop"/> over [0, <paramref name="length"/>), split across threads when it is long.</summary>
    public static void For<TLoop>(int length, scoped ref TLoop loop)
        where TLoop : IElementLoop, allows ref struct
    {
        if (length < threshold || WorkerPool.ThreadCount == 1)
        {
            loop.Run(0, length);
            return;
        }
        Split(length, ref loop);
    }

    struct Job
    {
        public unsafe void* Loop;
        public int Length;
    }

    /// <summary>
    /// The loop stays on the caller's stack while the pool runs it: the caller blocks until every
    /// piece is done, and its frame keeps the loop's spans reported to the GC, so a worker may read
    /// them through a pointer.
    /// </summary>
    static unsafe void Split<TLoop>(int length, scoped ref TLoop loop)
        where TLoop : IElementLoop, allows ref struct
    {
        int pieces = Math.Clamp(length / PieceLength, WorkerPool.ThreadCount, 4 * WorkerPool.ThreadCount);
        var job = new Job { Loop = Unsafe.AsPointer(ref loop), Length = length };
        WorkerPool.Run(&RunPiece<TLoop>, &job, pieces);
    }

    static unsafe void RunPiece<TLoop>(void* state, int piece, int pieces)
        where TLoop : IElementLoop, allows ref struct
    {
        ref readonly Job job = ref *(Job*)state;
        ref TLoop loop = ref Unsafe.AsRef<TLoop>(job.Loop);
        loop.Run(Start(job.Length, piece, pieces), Start(job.Length, piece + 1, pieces));
    }

    /// <summary>Where piece <paramref name="piece"/> of <paramref name="pieces"/> starts; piece <paramref name="pieces"/> starts at the end.</summary>
    internal static int Start(int length, int piece, int pieces) =>
        piece == pieces ? length : (int)((long)length * piece / pieces) & ~(Alignment - 1);
}
