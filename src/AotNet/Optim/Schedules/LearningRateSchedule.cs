using System.Globalization;

namespace AotNet;

/// <summary>
/// The base of learning-rate schedules in the style of <c>torch.optim.lr_scheduler</c>. A schedule
/// drives every group of its optimizer from the group's initial learning rate (the rate the first
/// schedule found, kept in <see cref="ParameterGroup.InitialLearningRate"/>). As in PyTorch,
/// constructing a schedule sets epoch 0's rates, and each <see cref="Step"/>, called once per
/// epoch or once per batch after <see cref="Optimizer.Step"/>, moves to the next epoch.
/// </summary>
/// <remarks>
/// Rates come from closed forms in double precision, equal to PyTorch's recursive updates up to
/// rounding, and are stored in <see cref="ParameterGroup.LearningRate"/> as doubles, as PyTorch
/// stores them in <c>param_groups</c>.
/// </remarks>
public abstract class LearningRateSchedule
{
    readonly double[] _baseLearningRates;
    readonly double[] _current;

    /// <summary>Attaches to <paramref name="optimizer"/>, recording each group's initial learning rate.</summary>
    protected LearningRateSchedule(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        var groups = optimizer.Groups;
        _baseLearningRates = new double[groups.Count];
        _current = new double[groups.Count];
        for (int g = 0; g < groups.Count; g++)
        {
            groups[g].InitialLearningRate ??= groups[g].LearningRate;
            _baseLearningRates[g] = groups[g].InitialLearningRate!.Value;
        }
    }

    /// <summary>The optimizer whose groups this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The epoch (or batch) whose rates are in use: 0 after construction, +1 per <see cref="Step"/>.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>Each group's initial learning rate, from which the schedule computes (PyTorch's <c>base_lrs</c>).</summary>
    public IReadOnlyList<double> BaseLearningRates => _baseLearningRates;

    /// <summary>The rates last set, one per group (PyTorch's <c>get_last_lr()</c>).</summary>
    public IReadOnlyList<double> CurrentLearningRates => _current;

    /// <summary>Moves to the next epoch and sets every group's learning rate.</summary>
    public void Step()
    {
        LastEpoch++;
        Apply();
    }

    /// <summary>The state: <c>last_epoch</c> and <c>base_lr.{g}</c> scalars, plus whatever a schedule adds.</summary>
    public OptimizerState GetState()
    {
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal) { ["last_epoch"] = LastEpoch };
        for (int g = 0; g < _baseLearningRates.Length; g++)
        {
            scalars[BaseKey(g)] = _baseLearningRates[g];
        }
        return new OptimizerState(new Dictionary<string, Tensor>(), scalars);
    }

    /// <summary>
    /// Restores <see cref="GetState"/>'s values and sets the rates of that epoch. The epoch must be
    /// a whole number this schedule can reach, each base rate must be a finite number &gt;= 0 (the
    /// rule for a group's learning rate), and the state must hold nothing else; otherwise nothing changes.
    /// </summary>
    /// <exception cref="ArgumentException">The state is incomplete or holds a value this schedule refuses; the message names the key.</exception>
    public void LoadState(OptimizerState state) => PrepareLoad(state, StateFaults.Direct)();

    /// <summary>Checks <paramref name="state"/> completely and returns what applies it, which cannot fail.</summary>
    internal Action PrepareLoad(OptimizerState state, StateFaults faults)
    {
        ArgumentNullException.ThrowIfNull(state);
        const string EpochKey = "last_epoch";
        double epoch = faults.Require(state, EpochKey);
        if (!(epoch >= 0 && epoch <= int.MaxValue && epoch == Math.Floor(epoch)))
        {
            throw faults.Key(EpochKey, $"is {epoch}; it must be a whole number from 0 to {int.MaxValue}");
        }
        var bases = new double[_baseLearningRates.Length];
        for (int g = 0; g < bases.Length; g++)
        {
            string key = BaseKey(g);
            bases[g] = faults.Require(state, key);
            if (HyperparameterRules.Violation("initial_lr", bases[g]) is { } rule)
            {
                throw faults.Key(key, $"is {bases[g]}; a base learning rate must be {rule}");
            }
        }
        foreach (string key in state.Scalars.Keys.Concat(state.Tensors.Keys))
        {
            if (key != EpochKey && !IsBaseKey(key, bases.Length))
            {
                throw faults.Key(key, $"is not kept by {GetType().Name} over {bases.Length} groups, which keeps '{EpochKey}' and 'base_lr.0' to 'base_lr.{bases.Length - 1}'");
            }
        }
        // The rates of that epoch are computed now, so that an epoch the schedule cannot reach (a
        // one-cycle past its last step) is refused before anything changes rather than half-way.
        for (int g = 0; g < bases.Length; g++)
        {
            double rate;
            try
            {
                rate = LearningRateAt(g, bases[g], (int)epoch);
            }
            catch (InvalidOperationException error)
            {
                throw faults.Key(EpochKey, $"is {epoch}, which {GetType().Name} cannot reach: {error.Message}");
            }
            if (!double.IsFinite(rate))
            {
                throw faults.Key(BaseKey(g), $"is {bases[g]}, which gives group {g} a rate of {rate} at epoch {epoch}");
            }
        }
        return () =>
        {
            bases.CopyTo(_baseLearningRates, 0);
            LastEpoch = (int)epoch;
            Apply();
        };
    }

    /// <summary>Group <paramref name="group"/>'s rate at <paramref name="epoch"/>, given its base rate.</summary>
    protected internal abstract double LearningRateAt(int group, double baseLearningRate, int epoch);

    /// <summary>Called after the rates of <paramref name="epoch"/> are set; a schedule can set other hyperparameters here.</summary>
    protected internal virtual void OnEpoch(int epoch)
    {
    }

    /// <summary>Sets epoch 0's rates; each schedule calls it at the end of its constructor, once its fields are set.</summary>
    protected void Start()
    {
        LastEpoch = 0;
        Apply();
    }

    /// <summary>Replaces the base rates, for schedules such as one-cycle that define their own.</summary>
    private protected void SetBaseLearningRate(int group, double value) => _baseLearningRates[group] = value;

    void Apply()
    {
        var groups = Optimizer.Groups;
        for (int g = 0; g < _current.Length; g++)
        {
            _current[g] = LearningRateAt(g, _baseLearningRates[g], LastEpoch);
            groups[g].SetScheduledLearningRate(_current[g]);
        }
        OnEpoch(LastEpoch);
    }

    static bool IsBaseKey(string key, int groups) =>
        key.StartsWith("base_lr.", StringComparison.Ordinal)
        && int.TryParse(key.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out int g) && g < groups && key == BaseKey(g);

    static string BaseKey(int g) => string.Create(CultureInfo.InvariantCulture, $"base_lr.{g}");
}
