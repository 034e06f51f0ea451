namespace AotNet;

/// <summary>
/// Where a training run is, beyond its model and optimizer: the epoch and batch in progress,
/// the global step, the states of the random generators that decide what comes next, and any
/// other numbers the loop needs (for instance a custom schedule's). Saved with
/// <see cref="TrainingCheckpoint"/> so a run resumes bit-identically.
/// </summary>
/// <example>
/// Mid-epoch, record the loader's epoch-start state and how far the epoch got:
/// <code>
/// var position = new TrainingPosition { Epoch = epoch, BatchInEpoch = batches.BatchIndex, Step = step };
/// position.RngStates["loader"] = loader.EpochStartState;
/// position.RngStates["default"] = Rng.Default.State;
/// </code>
/// and on resume replay that epoch with
/// <c>loader.ResumeEpoch(position.RngStates["loader"], position.BatchInEpoch)</c>, then set
/// <c>Rng.Default.State = position.RngStates["default"]</c>.
/// </example>
public sealed class TrainingPosition
{
    int _epoch, _batchInEpoch;
    long _step;

    /// <summary>The epoch in progress, counted as the training loop counts it; never negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int Epoch { get => _epoch; set => _epoch = (int)Checked(value, nameof(Epoch)); }

    /// <summary>The batches of <see cref="Epoch"/> already trained on (the index of the next one); never negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int BatchInEpoch { get => _batchInEpoch; set => _batchInEpoch = (int)Checked(value, nameof(BatchInEpoch)); }

    /// <summary>The optimizer steps taken since training began; never negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long Step { get => _step; set => _step = Checked(value, nameof(Step)); }

    /// <summary>Generator states (<see cref="Rng.State"/>) by a name of the caller's choosing, such as <c>loader</c> or <c>default</c>.</summary>
    public IDictionary<string, (ulong, ulong, ulong, ulong)> RngStates { get; } =
        new SortedDictionary<string, (ulong, ulong, ulong, ulong)>(StringComparer.Ordinal);

    /// <summary>Why <paramref name="value"/> cannot be an epoch, batch or step count, or null when it can; checkpoints load counts through the same rule.</summary>
    internal static string? CountViolation(long value) => value < 0 ? "a count >= 0" : null;

    static long Checked(long value, string name) =>
        CountViolation(value) is { } fault ? throw new ArgumentOutOfRangeException(name, value, $"Invalid {name}: {value}. It must be {fault}.") : value;

    /// <summary>Other numbers the loop needs to resume, by name; stored exactly (round-trip formatting).</summary>
    public IDictionary<string, double> Values { get; } = new SortedDictionary<string, double>(StringComparer.Ordinal);
}
