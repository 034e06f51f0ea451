using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace AotNet.Kernels;

/// <summary>
/// A fixed set of background threads (one fewer than the processors) that run one job at a time,
/// split into parts, together with the calling thread. A job is a function pointer plus an
/// unmanaged state pointer, so starting one allocates nothing. Idle workers spin for a short
/// while before blocking, because kernels in a training step follow each other within
/// microseconds and a kernel-level wake-up would cost more than the work.
/// </summary>
static unsafe class WorkerPool
{
    /// <summary>How long an idle worker spins before it blocks.</summary>
    static readonly TimeSpan SpinBudget = TimeSpan.FromMilliseconds(2);

    static readonly Lock JobGate = new();
    static readonly object SleepLock = new();
    static readonly Thread[] Workers = StartWorkers();

    static delegate*<void*, int, int, void> jobWork;
    static void* jobState;
    static int jobParts;
    static int pendingParts;
    static long jobGeneration;
    static int sleepingWorkers;
    static Exception? jobFailure;

    /// <summary>Threads a job can use: the workers plus the caller.</summary>
    public static int ThreadCount => Workers.Length + 1;

    /// <summary>
    /// Runs <c>work(state, part, parts)</c> for every part in [0, parts) and returns when all are done.
    /// The caller runs part 0. When the pool is already busy (another thread's job, or a nested
    /// call) every part runs on the calling thread instead, so concurrent callers stay correct.
    /// </summary>
    public static void Run(delegate*<void*, int, int, void> work, void* state, int parts)
    {
        parts = Math.Min(parts, ThreadCount);
        if (parts <= 1 || JobGate.IsHeldByCurrentThread || !JobGate.TryEnter())
        {
            for (int part = 0; part < parts; part++)
            {
                work(state, part, parts);
            }
            return;
        }

        try
        {
            jobWork = work;
            jobState = state;
            jobParts = parts;
            // Every worker reports back, even one without a part, so none can still be reading
            // these fields when the next job overwrites them.
            Volatile.Write(ref pendingParts, Workers.Length);
            // The full fence publishes the job before workers can see the new generation, and
            // orders it before the read of sleepingWorkers (the worker side mirrors this).
            Interlocked.Increment(ref jobGeneration);
            if (Volatile.Read(ref sleepingWorkers) != 0)
            {
                lock (SleepLock)
                {
                    Monitor.PulseAll(SleepLock);
                }
            }

            work(state, 0, parts);

            var spinner = new SpinWait();
            while (Volatile.Read(ref pendingParts) != 0)
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

    static Thread[] StartWorkers()
    {
        var workers = new Thread[Math.Max(0, Environment.ProcessorCount - 1)];
        for (int i = 0; i < workers.Length; i++)
        {
            int part = i + 1;
            workers[i] = new Thread(() => WorkerLoop(part))
            {
                IsBackground = true,
                Name = $"AotNet worker {part}",
            };
            workers[i].Start();
        }
        return workers;
    }

    static void WorkerLoop(int part)
    {
        // Not read from jobGeneration: a worker that starts late would then skip the first job
        // and leave its caller waiting. Workers exist before any job can be published.
        long seenGeneration = 0;
        while (true)
        {
            seenGeneration = WaitForNextJob(seenGeneration);
            int parts = jobParts;
            if (part < parts)
            {
                try
                {
                    jobWork(jobState, part, parts);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref jobFailure, e, null);
                }
            }
            Interlocked.Decrement(ref pendingParts);
        }
    }

    static long WaitForNextJob(long seenGeneration)
    {
        long spinStart = Stopwatch.GetTimestamp();
        for (int spins = 0; ; spins++)
        {
            long generation = Volatile.Read(ref jobGeneration);
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
            while (Volatile.Read(ref jobGeneration) == seenGeneration)
            {
                Monitor.Wait(SleepLock);
            }
        }
        Interlocked.Decrement(ref sleepingWorkers);
        return Volatile.Read(ref jobGeneration);
    }
}
