namespace AotNet;

/// <summary>
/// <c>torch.optim.lr_scheduler.OneCycleLR</c>, stepped once per batch for <see cref="TotalSteps"/>
/// batches. The rate rises from <c>maxLr/divFactor</c> to <c>maxLr</c> over the first
/// <c>pctStart</c> of the steps, then falls to <c>maxLr/divFactor/finalDivFactor</c>; with
/// <c>threePhase</c> it first falls back to the start before the final fall. The optimizer's own
/// rates are ignored, as in PyTorch. With <c>cycleMomentum</c> (PyTorch's default) the momentum
/// moves opposite to the rate between <c>maxMomentum</c> and <c>baseMomentum</c>: SGD's and
/// RMSprop's <see cref="ParameterGroup.Momentum"/>, Adam's and AdamW's <see cref="ParameterGroup.Beta1"/>.
/// </summary>
public sealed class OneCycleLR : LearningRateSchedule
{
    readonly double[] _maxLr;
    readonly Phase[] _phases;
    readonly CycledMomentum _momentum;

    /// <summary>One cycle over <paramref name="totalSteps"/> steps peaking at <paramref name="maxLr"/> in every group.</summary>
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3, OneCycleAnnealing annealStrategy = OneCycleAnnealing.Cos,
        bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false)
        : this(optimizer, Enumerable.Repeat(maxLr, optimizer?.Groups.Count ?? 0).ToArray(), totalSteps, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase)
    {
    }

    /// <summary>One cycle peaking at <paramref name="maxLr"/>[g] in group g.</summary>
    public OneCycleLR(Optimizer optimizer, IReadOnlyList<double> maxLr, int totalSteps, double pctStart = 0.3, OneCycleAnnealing annealStrategy = OneCycleAnnealing.Cos,
        bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(maxLr);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        if (maxLr.Count != optimizer.Groups.Count)
        {
            throw new ArgumentException($"Expected {optimizer.Groups.Count} values for maxLr (one per group), got {maxLr.Count}.", nameof(maxLr));
        }
        if (!(pctStart >= 0 && pctStart <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, $"Expected float between 0 and 1 pct_start, but got {pctStart}.");
        }
        _momentum = cycleMomentum ? optimizer.CycledMomentum : CycledMomentum.None;
        if (cycleMomentum && _momentum == CycledMomentum.None)
        {
            throw new ArgumentException($"{optimizer.GetType().Name} has no momentum or beta1 to cycle; pass cycleMomentum: false.", nameof(cycleMomentum));
        }
        TotalSteps = totalSteps;
        Annealing = annealStrategy;
        BaseMomentum = baseMomentum;
        MaxMomentum = maxMomentum;
        _maxLr = maxLr.ToArray();
        var groups = optimizer.Groups;
        for (int g = 0; g < groups.Count; g++)
        {
            double initial = _maxLr[g] / divFactor;
            groups[g].InitialLearningRate = initial;
            SetBaseLearningRate(g, initial);
        }
        // PyTorch's phase table: each phase ends at a fractional step and names its start and end rate and momentum.
        double pctSteps = pctStart * totalSteps;
        _phases = threePhase
            ?
            [
                new(pctSteps - 1, End.Initial, End.Max, maxMomentum, baseMomentum),
                new(2 * pctSteps - 2, End.Max, End.Initial, baseMomentum, maxMomentum),
                new(totalSteps - 1, End.Initial, End.Min, maxMomentum, maxMomentum),
            ]
            :
            [
                new(pctSteps - 1, End.Initial, End.Max, maxMomentum, baseMomentum),
                new(totalSteps - 1, End.Max, End.Min, baseMomentum, maxMomentum),
            ];
        FinalDivFactor = finalDivFactor;
        Start();
    }

    /// <summary>The number of steps in the cycle; stepping past it throws, as in PyTorch.</summary>
    public int TotalSteps { get; }

    /// <summary>How each phase interpolates.</summary>
    public OneCycleAnnealing Annealing { get; }

    /// <summary>The momentum at the peak rate.</summary>
    public double BaseMomentum { get; }

    /// <summary>The momentum at the lowest rates.</summary>
    public double MaxMomentum { get; }

    /// <summary>The divisor from the initial rate to the final one.</summary>
    public double FinalDivFactor { get; }

    /// <inheritdoc />
    protected internal override double LearningRateAt(int group, double baseLearningRate, int epoch)
    {
        var (phase, pct) = Locate(epoch);
        return Anneal(Value(phase.StartLr, group, baseLearningRate), Value(phase.EndLr, group, baseLearningRate), pct);
    }

    /// <inheritdoc />
    protected internal override void OnEpoch(int epoch)
    {
        if (_momentum == CycledMomentum.None)
        {
            return;
        }
        var (phase, pct) = Locate(epoch);
        double momentum = Anneal(phase.StartMomentum, phase.EndMomentum, pct);
        var groups = Optimizer.Groups;
        // Indexed: a foreach over the IReadOnlyList would box an enumerator every step.
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            if (_momentum == CycledMomentum.Beta1)
            {
                group.Beta1 = momentum;
            }
            else
            {
                group.Momentum = momentum;
            }
        }
    }

    (Phase Phase, double Pct) Locate(int epoch)
    {
        if (epoch > TotalSteps)
        {
            throw new InvalidOperationException($"Tried to step {epoch} times; OneCycleLR was set up for {TotalSteps} total steps.");
        }
        double start = 0;
        for (int i = 0; i < _phases.Length; i++)
        {
            var phase = _phases[i];
            if (epoch <= phase.EndStep || i == _phases.Length - 1)
            {
                return (phase, (epoch - start) / (phase.EndStep - start));
            }
            start = phase.EndStep;
        }
        throw new InvalidOperationException("OneCycleLR has no phases.");
    }

    double Anneal(double start, double end, double pct) => Annealing == OneCycleAnnealing.Cos
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;

    double Value(End end, int group, double initial) => end switch
    {
        End.Initial => initial,
        End.Max => _maxLr[group],
        _ => initial / FinalDivFactor,
    };

    enum End
    {
        Initial,
        Max,
        Min,
    }

    readonly record struct Phase(double EndStep, End StartLr, End EndLr, double StartMomentum, double EndMomentum);
}
