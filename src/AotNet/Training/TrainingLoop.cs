namespace AotNet;

/// <summary>
/// The usual epoch loop, for models whose training step returns the loss and fills the
/// gradients: for each batch, <c>loss = step(x, y)</c>, then <c>optimizer.Step()</c>. It reports
/// a <see cref="TrainingProgress"/> after every step and an <see cref="EpochSummary"/> after
/// every epoch. With <see cref="AccumulationSteps"/> = k it accumulates the gradients of k
/// batches (micro-batches) before each optimizer step.
/// </summary>
/// <remarks>
/// <para>
/// The loop does not zero gradients: generated steps such as <c>LossStep</c> overwrite them.
/// A hand-written step that accumulates must clear them itself.
/// </para>
/// <para>
/// Gradient accumulation (a <see cref="TrainingStep"/> and <c>accumulationSteps</c> k &gt; 1):
/// the batches of each epoch form groups of k, from its first batch on. The first batch of a
/// group is run with <see cref="GradientWrite.Overwrite(float)"/> and the others with
/// <see cref="GradientWrite.Accumulate(float)"/>, all with scale 1/k, and the optimizer steps
/// once per group, so for a mean-reduced loss it sees the gradient of one batch k times the
/// size. A last group cut short by the end of the epoch, of r &lt; k batches, is stepped too,
/// with scale 1/r, so its gradient is still the mean over its batches; groups never span two
/// epochs. A "step" is then one optimizer step: <see cref="GlobalStep"/>,
/// <see cref="TrainingProgress.Step"/>, <see cref="StepsPerEpoch"/> and
/// <see cref="EpochSummary.Steps"/> count them, a step's loss is the mean of its batches'
/// losses, and progress is reported once per step. <see cref="BatchesInEpoch"/> still counts
/// batches. Cancellation takes effect before a group starts, so a stopped loop never holds half
/// a group's gradient, and a mid-epoch resume must start at a group's first batch.
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
    readonly TrainingStep _step;
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
        : this(IgnoringGradientWrite(step), optimizer, loader, epochs, timeProvider)
    {
    }

    /// <summary>
    /// A loop of <paramref name="epochs"/> epochs over <paramref name="loader"/> that calls
    /// <paramref name="step"/> for each batch and <paramref name="optimizer"/> once every
    /// <paramref name="accumulationSteps"/> batches, accumulating the gradients in between (see
    /// the remarks of <see cref="TrainingLoop"/>). With the default of 1 it is the same loop as
    /// the other constructor's. Times come from <paramref name="timeProvider"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is negative, or <paramref name="accumulationSteps"/> is less than 1.</exception>
    public TrainingLoop(TrainingStep step, Optimizer optimizer, DataLoader loader, int epochs, TimeProvider? timeProvider = null, int accumulationSteps = 1)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(accumulationSteps, 1);
        _step = step;
        _time = timeProvider ?? TimeProvider.System;
        Optimizer = optimizer;
        Loader = loader;
        Epochs = epochs;
        AccumulationSteps = accumulationSteps;
    }

    static TrainingStep IgnoringGradientWrite(Func<Tensor, Labels, float> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        // With one batch per optimizer step every write is Overwrite(1), which the step does anyway.
        return (x, y, _) => step(x, y);
    }

    /// <summary>The optimizer stepped after each group of <see cref="AccumulationSteps"/> batches.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The batches whose gradients each optimizer step sees, accumulated: 1 unless the constructor was given more.</summary>
    public int AccumulationSteps { get; }

    /// <summary>The optimizer steps in one epoch: the loader's batch count over <see cref="AccumulationSteps"/>, rounded up.</summary>
    public int StepsPerEpoch => StepsFor(Loader.Count);

    /// <summary>The batches of each epoch.</summary>
    public DataLoader Loader { get; }

    /// <summary>The epochs in the whole run.</summary>
    public int Epochs { get; }

    /// <summary>The epochs finished so far, including any before a <see cref="Resume(int, long)"/>.</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>The optimizer steps taken so far, including any before a <see cref="Resume(int, long)"/>.</summary>
    public long GlobalStep { get; private set; }

    /// <summary>True when every epoch has run.</summary>
    public bool IsComplete => CompletedEpochs >= Epochs;

    /// <summary>
    /// Batches of the current epoch already stepped: 0 between epochs, more when an epoch was
    /// cancelled part-way (always the end of a group of <see cref="AccumulationSteps"/>). Save it
    /// with <see cref="EpochStartState"/> to resume mid-epoch.
    /// </summary>
    public int BatchesInEpoch { get; private set; }

    /// <summary>The loader's <see cref="DataLoader.EpochStartState"/> for the current or last epoch: the state its sample order was drawn from.</summary>
    public (ulong, ulong, ulong, ulong) EpochStartState { get; private set; }

    /// <summary>
    /// Continues a run restored from a checkpoint taken after <paramref name="completedEpochs"/>
    /// epochs and <paramref name="globalStep"/> optimizer steps, so epochs and steps count on from there.
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
    /// the run continues exactly as if it had never stopped. When accumulating,
    /// <paramref name="batchesInEpoch"/> must end a group (a multiple of <see cref="AccumulationSteps"/>,
    /// or the epoch's last batch), as <see cref="BatchesInEpoch"/> always does.
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
        if (batchesInEpoch % AccumulationSteps != 0 && batchesInEpoch != Loader.Count)
        {
            throw new ArgumentException(
                $"Batch {batchesInEpoch} of the epoch is inside a group of {AccumulationSteps} accumulated batches; a run stops, and resumes, only after a group's optimizer step.",
                nameof(batchesInEpoch));
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
        int batchesPerEpoch = Loader.Count;
        int stepsPerEpoch = StepsPerEpoch;
        long started = _time.GetTimestamp();
        double lossSum = 0;
        float lastLoss = float.NaN;
        int batch = _resumeBatch, samples = 0;
        int step = StepsFor(batch);
        // A resumed epoch counts its batches from where it stopped, but its loss and speed only
        // over the steps this call runs.
        int firstStep = step;
        var batches = _resumeBatch > 0 ? Loader.ResumeEpoch(_resumeEpochStart, _resumeBatch) : Loader.GetEnumerator();
        _resumeBatch = 0;
        EpochStartState = Loader.EpochStartState;
        BatchesInEpoch = batch;
        int groupSize = 0, inGroup = 0;
        float scale = 1f;
        double groupLoss = 0;
        foreach (var (x, y) in batches)
        {
            if (inGroup == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // The group the end of the epoch cuts short is averaged over the batches it has.
                groupSize = Math.Clamp(batchesPerEpoch - batch, 1, AccumulationSteps);
                scale = 1f / groupSize;
                groupLoss = 0;
            }
            groupLoss += _step(x, y, inGroup == 0 ? GradientWrite.Overwrite(scale) : GradientWrite.Accumulate(scale));
            inGroup++;
            batch++;
            samples += y.Length;
            if (inGroup < groupSize)
            {
                continue;
            }
            inGroup = 0;
            lastLoss = (float)(groupLoss / groupSize);
            Optimizer.Step();
            step++;
            BatchesInEpoch = batch;
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

    /// <summary>The optimizer steps that <paramref name="batches"/> batches from the start of an epoch make up.</summary>
    int StepsFor(int batches) => (batches + AccumulationSteps - 1) / AccumulationSteps;

    static double Rate(int samples, TimeSpan time) => time.Ticks == 0 ? 0 : samples / time.TotalSeconds;
}
