using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace AotNet.Kernels;

/// <summary>
/// A fixed set of background threads (one fewer than the processors) that help the calling thread
/// run one job at a time. A job is a function pointer plus an unmanaged state pointer, split into
/// chunks that threads claim one by one, so starting a job allocates nothing, and a worker that
/// the OS has not scheduled leaves its chunks to the caller instead of stalling it. Idle workers
/// spin for a short while before blocking, because kernels in a training step follow each other
/// within microseconds and a kernel-level wake-up would cost more than the work.
/// </summary>
static unsafe class WorkerPool
{
    /// <summary>How long an idle worker spins before it blocks.</summary>
    static readonly TimeSpan SpinBudget = TimeSpan.FromMilliseconds(1);

    static readonly Lock JobGate = new();
    static readonly object SleepLock = new();
    static readonly Thread[] Workers = StartWorkers();

    static delegate*<void*, int, int, void> jobWork;
    static void* jobState;
    static int completedChunks;
    static int sleepingWorkers;
    static Exception? jobFailure;

    /// <summary>
    /// The job's identity and its claim counter in one word, so a claim can only succeed for the job
    /// it was read from: bits 32–63 generation, 16–31 chunk count, 0–15 next unclaimed chunk.
    /// </summary>
    static long claimWord;

    /// <summary>Threads a job can use: the workers plus the caller.</summary>
    public static int ThreadCount => Workers.Length + 1;

    /// <summary>Most chunks one job can be split into.</summary>
    public const int MaxChunks = ushort.MaxValue;

    /// <summary>
    /// Runs <c>work(state, chunk, chunks)</c> for every chunk in [0, chunks) and returns when all are
    /// done; the caller takes part. When the pool is already busy (another thread's job, or a nested
    /// call) every chunk runs on the calling thread instead, so concurrent callers stay correct.
    /// </summary>
    public static void Run(delegate*<void*, int, int, void> work, void* state, int chunks)
    {
        if ((uint)chunks > MaxChunks)
        {
            throw new ArgumentOutOfRangeException(nameof(chunks), chunks, $"A job has at most {MaxChunks} chunks.");
        }
        if (chunks <= 1 || Workers.Length == 0 || JobGate.IsHeldByCurrentThread || !JobGate.TryEnter())
        {
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                work(state, chunk, chunks);
            }
            return;
        }

        try
        {
            jobWork = work;
            jobState = state;
            Volatile.Write(ref completedChunks, 0);
            long generation = (Volatile.Read(ref claimWord) >> 32) + 1;
            // The full fence publishes the job before any worker can claim from it, and orders it
            // before the read of sleepingWorkers (the worker side mirrors this).
            Interlocked.Exchange(ref claimWord, (generation << 32) | ((long)chunks << 16));
            if (Volatile.Read(ref sleepingWorkers) != 0)
            {
                lock (SleepLock)
                {
                    Monitor.PulseAll(SleepLock);
                }
            }

            RunChunks(generation);

            var spinner = new SpinWait();
            while (Volatile.Read(ref completedChunks) != chunks)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            if (jobFailure is { } failure)
            {
                jobFailure = null;
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            JobGate.Exit();
        }
    }

    /// <summary>Claims and runs chunks of the given job until none is left.</summary>
    static void RunChunks(long generation)
    {
        while (true)
        {
            long word = Volatile.Read(ref claimWord);
            int chunks = (int)((word >> 16) & 0xFFFF);
            int chunk = (int)(word & 0xFFFF);
            if (word >> 32 != generation || chunk >= chunks)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref claimWord, word + 1, word) != word)
            {
                continue;
            }

            // The job cannot finish while this chunk is unclaimed-or-running, so its fields stay put.
            try
            {
                jobWork(jobState, chunk, chunks);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref jobFailure, e, null);
            }
            Interlocked.Increment(ref completedChunks);
        }
    }

    static Thread[] StartWorkers()
    {
        var workers = new Thread[Math.Max(0, Environment.ProcessorCount - 1)];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = new Thread(WorkerLoop)
            {
                IsBackground = true,
                Name = $"AotNet worker {i + 1}",
            };
            workers[i].Start();
        }
        return workers;
    }

    static void WorkerLoop()
    {
        long seenGeneration = Volatile.Read(ref claimWord) >> 32;
        while (true)
        {
            seenGeneration = WaitForNextJob(seenGeneration);
            RunChunks(seenGeneration);
        }
    }

    static long WaitForNextJob(long seenGeneration)
    {
        long spinStart = Stopwatch.GetTimestamp();
        for (int spins = 0; ; spins++)
        {
            long generation = Volatile.Read(ref claimWord) >> 32;
            if (generation != seenGeneration)
            {
                return generation;
            }
            Thread.SpinWait(8);
            if ((spins & 255) == 255 && Stopwatch.GetElapsedTime(spinStart) > SpinBudget)
            {
                break;
            }
        }

        Interlocked.Increment(ref sleepingWorkers);
        lock (SleepLock)
        {
            while (Volatile.Read(ref claimWord) >> 32 == seenGeneration)
            {
                Monitor.Wait(SleepLock);
            }
        }
        Interlocked.Decrement(ref sleepingWorkers);
        return Volatile.Read(ref claimWord) >> 32;
    }
}
