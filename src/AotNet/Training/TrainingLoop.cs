namespace AotNet;

/// <summary>
/// The usual epoch loop, for models whose training step returns the loss and fills the
/// gradients: for each batch, <c>loss = step(x, y)</c>, then <c>optimizer.Step()</c>. It reports
/// a <see cref="TrainingProgress"/> after every step and an <see cref="EpochSummary"/> after
/// every epoch.
/// </summary>
/// <remarks>
/// <para>
/// The loop does not zero gradients: generated steps such as <c>LossStep</c> overwrite them.
/// A hand-written step that accumulates must clear them itself.
/// </para>
/// <para>
/// After the first epoch the loop allocates nothing per step, as long as the step, the
/// optimizer and the progress sink allocate nothing. <see cref="Progress{T}"/> does allocate:
/// it posts every report to the captured <see cref="SynchronizationContext"/> (or the thread
/// pool), which also makes the hot loop wait on another thread's pace. Report every step to a
/// class that implements <see cref="IProgress{T}"/> directly and keeps the latest value, and
/// let the UI read that value at its own rate.
/// </para>
/// </remarks>
public sealed class TrainingLoop
{
    readonly Func<Tensor, Labels, float> _step;
    readonly TimeProvider _time;
    TimeSpan _elapsedHere;
    TimeSpan _firstStep;
    long _stepsHere;
    int _resumeBatch;
    (ulong, ulong, ulong, ulong) _resumeEpochStart;

    /// <summary>
    /// A loop of <paramref name="epochs"/> epochs over <paramref name="loader"/>, calling
    /// <paramref name="step"/> then <paramref name="optimizer"/> for each batch. Times come from
    /// <paramref name="timeProvider"/>, <see cref="TimeProvider.System"/> unless a test needs a
    /// clock it controls.
    /// </summary>
    public TrainingLoop(Func<Tensor, Labels, float> step, Optimizer optimizer, DataLoader loader, int epochs, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        _step = step;
        _time = timeProvider ?? TimeProvider.System;
        Optimizer = optimizer;
        Loader = loader;
        Epochs = epochs;
    }

    /// <summary>The optimizer stepped after each batch.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The batches of each epoch.</summary>
    public DataLoader Loader { get; }

    /// <summary>The epochs in the whole run.</summary>
    public int Epochs { get; }

    /// <summary>The epochs finished so far, including any before a <see cref="Resume(int, long)"/>.</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>The steps taken so far, including any before a <see cref="Resume(int, long)"/>.</summary>
    public long GlobalStep { get; private set; }

    /// <summary>True when every epoch has run.</summary>
    public bool IsComplete => CompletedEpochs >= Epochs;

    /// <summary>
    /// Batches of the current epoch already stepped: 0 between epochs, more when an epoch was
    /// cancelled part-way. Save it with <see cref="EpochStartState"/> to resume mid-epoch.
    /// </summary>
    public int BatchesInEpoch { get; private set; }

    /// <summary>The loader's <see cref="DataLoader.EpochStartState"/> for the current or last epoch: the state its sample order was drawn from.</summary>
    public (ulong, ulong, ulong, ulong) EpochStartState { get; private set; }

    /// <summary>
    /// Continues a run restored from a checkpoint taken after <paramref name="completedEpochs"/>
    /// epochs and <paramref name="globalStep"/> steps, so epochs and steps count on from there.
    /// Model, optimizer and loader state are restored separately.
    /// </summary>
    public void Resume(int completedEpochs, long globalStep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(completedEpochs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(completedEpochs, Epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(globalStep);
        CompletedEpochs = completedEpochs;
        GlobalStep = globalStep;
        _resumeBatch = 0;
    }

    /// <summary>
    /// Continues a run stopped in the middle of epoch <paramref name="completedEpochs"/> + 1, after
    /// <paramref name="batchesInEpoch"/> of its batches: the next <see cref="RunEpoch"/> redraws that
    /// epoch's order from <paramref name="epochStartState"/> and carries on from the next batch, so
    /// the run continues exactly as if it had never stopped.
    /// </summary>
    public void Resume(int completedEpochs, long globalStep, int batchesInEpoch, (ulong, ulong, ulong, ulong) epochStartState)
    {
        Resume(completedEpochs, globalStep);
        ArgumentOutOfRangeException.ThrowIfNegative(batchesInEpoch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchesInEpoch, Loader.Count);
        if (batchesInEpoch > 0 && IsComplete)
        {
            throw new ArgumentException($"A run of {Epochs} epochs that has completed {completedEpochs} has no epoch left to resume in.", nameof(batchesInEpoch));
        }
        _resumeBatch = batchesInEpoch;
        _resumeEpochStart = epochStartState;
        BatchesInEpoch = batchesInEpoch;
        EpochStartState = epochStartState;
    }

    /// <summary>Runs every remaining epoch, calling <paramref name="onEpoch"/> after each, and returns their summaries.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the current epoch stops after its current step and is not counted as completed.</exception>
    public IReadOnlyList<EpochSummary> Run(
        IProgress<TrainingProgress>? progress = null, Action<EpochSummary>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        var summaries = new List<EpochSummary>(Epochs - CompletedEpochs);
        while (!IsComplete)
        {
            var summary = RunEpoch(progress, cancellationToken);
            summaries.Add(summary);
            onEpoch?.Invoke(summary);
        }
        return summaries;
    }

    /// <summary>Runs the next epoch, reporting to <paramref name="progress"/> after every step.</summary>
    /// <exception cref="InvalidOperationException">Every epoch has already run.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the epoch stops after its current step and is not counted as completed.</exception>
    public EpochSummary RunEpoch(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (IsComplete)
        {
            throw new InvalidOperationException($"All {Epochs} epochs have run.");
        }
        int epoch = CompletedEpochs + 1;
        int stepsPerEpoch = Loader.Count;
        long started = _time.GetTimestamp();
        double lossSum = 0;
        float lastLoss = float.NaN;
        int step = _resumeBatch, samples = 0;
        // A resumed epoch counts its batches from where it stopped, but its loss and speed only
        // over the steps this call runs.
        int firstStep = step;
        var batches = _resumeBatch > 0 ? Loader.ResumeEpoch(_resumeEpochStart, _resumeBatch) : Loader.GetEnumerator();
        _resumeBatch = 0;
        EpochStartState = Loader.EpochStartState;
        BatchesInEpoch = step;
        foreach (var (x, y) in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lastLoss = _step(x, y);
            Optimizer.Step();
            step++;
            BatchesInEpoch = step;
            samples += y.Length;
            lossSum += lastLoss;
            GlobalStep++;
            if (progress is not null)
            {
                var epochElapsed = _time.GetElapsedTime(started);
                var elapsed = _elapsedHere + epochElapsed;
                long stepsLeft = (long)(Epochs - epoch) * stepsPerEpoch + (stepsPerEpoch - step);
                long stepsTimed = _stepsHere + step - firstStep;
                if (stepsTimed == 1)
                {
                    _firstStep = elapsed;
                }
                // Measured over this process only (steps before a resume took no time here), and
                // without the first step, whose JIT and buffer warm-up can cost a hundred others.
                double ticksPerStep = stepsTimed == 1 ? elapsed.Ticks : (double)(elapsed - _firstStep).Ticks / (stepsTimed - 1);
                progress.Report(new TrainingProgress(
                    epoch, Epochs, step, stepsPerEpoch, GlobalStep, lastLoss, (float)(lossSum / (step - firstStep)),
                    Rate(samples, epochElapsed), elapsed, TimeSpan.FromTicks((long)(ticksPerStep * stepsLeft))));
            }
        }
        var duration = _time.GetElapsedTime(started);
        _elapsedHere += duration;
        _stepsHere += step - firstStep;
        CompletedEpochs = epoch;
        BatchesInEpoch = 0;
        int run = step - firstStep;
        return new EpochSummary(
            epoch, Epochs, run, samples, run == 0 ? float.NaN : (float)(lossSum / run), lastLoss,
            Rate(samples, duration), duration, GlobalStep);
    }

    static double Rate(int samples, TimeSpan time) => time.Ticks == 0 ? 0 : samples / time.TotalSeconds;
}
