using System.Globalization;

namespace AotNet;

/// <summary>
/// Saves and restores a whole training run (model, optimizer, optional learning-rate schedule and
/// <see cref="TrainingPosition"/>) in one safetensors file, so that training resumed from it
/// continues bit-identically to training that never stopped.
/// </summary>
/// <remarks>
/// Layout: model parameters under their <c>state_dict</c> names; optimizer tensors under
/// <c>optimizer.{key}</c> and schedule tensors under <c>schedule.{key}</c> (keys as in
/// <see cref="OptimizerState"/>); everything else in <c>__metadata__</c>: optimizer and schedule
/// scalars under the same prefixes, <c>position.epoch</c>, <c>position.batch</c>,
/// <c>position.step</c>, <c>rng.{name}</c> as four comma-separated decimal words and
/// <c>value.{name}</c>. Doubles are written with the round-trip format, so they read back exactly.
/// The file is still plain safetensors: PyTorch's <c>safetensors.torch.load_file</c> reads it.
/// </remarks>
public static class TrainingCheckpoint
{
    /// <summary>The <c>__metadata__</c> entry that marks a training checkpoint and its layout version.</summary>
    public const string FormatKey = "aotnet.format";

    /// <summary>The value of <see cref="FormatKey"/> this version writes and reads.</summary>
    public const string FormatVersion = "training-checkpoint/1";

    const string OptimizerPrefix = "optimizer.";
    const string SchedulePrefix = "schedule.";
    const string RngPrefix = "rng.";
    const string ValuePrefix = "value.";
    const string EpochKey = "position.epoch";
    const string BatchKey = "position.batch";
    const string StepKey = "position.step";

    /// <summary>
    /// Writes the run's state to <paramref name="path"/> atomically (a temporary file in the same
    /// directory, flushed to disk, then moved over the target).
    /// </summary>
    /// <exception cref="ArgumentException">A model parameter's name starts with <c>optimizer.</c> or <c>schedule.</c>, or two share a name.</exception>
    /// <exception cref="IOException">The file could not be written; the message names <paramref name="path"/>. The previous file, if any, is intact.</exception>
    public static void Save(string path, Module model, Optimizer optimizer, TrainingPosition position, LearningRateSchedule? schedule = null) =>
        Save(path, model, optimizer, position, schedule, PhysicalFileSystem.Instance);

    internal static void Save(string path, Module model, Optimizer optimizer, TrainingPosition position, LearningRateSchedule? schedule, ISaveFileSystem fileSystem)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(position);
        var tensors = Checkpoint.StateDict(model);
        foreach (var (name, _) in tensors)
        {
            if (IsOptimizerOrSchedule(name))
            {
                throw new ArgumentException($"Model parameter '{name}' would collide with the optimizer's or schedule's entries in a training checkpoint.", nameof(model));
            }
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FormatKey] = FormatVersion,
            [EpochKey] = Text(position.Epoch),
            [BatchKey] = Text(position.BatchInEpoch),
            [StepKey] = Text(position.Step),
        };
        AddState(OptimizerPrefix, optimizer.GetState(), tensors, metadata);
        if (schedule is not null)
        {
            AddState(SchedulePrefix, schedule.GetState(), tensors, metadata);
        }
        foreach (var (name, (s0, s1, s2, s3)) in position.RngStates)
        {
            metadata[RngPrefix + name] = string.Join(',', Text(s0), Text(s1), Text(s2), Text(s3));
        }
        foreach (var (name, value) in position.Values)
        {
            metadata[ValuePrefix + name] = Text(value);
        }
        Safetensors.WriteTensors(path, tensors.Select(p => SafetensorsTensor.Float32(p.Key, p.Value)), metadata, fileSystem);
    }

    /// <summary>
    /// Restores a run saved by <see cref="Save(string, Module, Optimizer, TrainingPosition, LearningRateSchedule?)"/> into existing objects of the same architecture and
    /// returns its position. Loading is all or nothing: the prefix and header are checked before any
    /// tensor data is read, then the whole file (model tensors, optimizer buffers and settings,
    /// schedule, position and generator states) is checked against the model, optimizer and
    /// schedule, and only then is anything changed. On any refusal all three are left as they were.
    /// </summary>
    /// <remarks>
    /// Loaded values are checked with the rules the constructors apply (an Adam beta1 of 1.5 or
    /// NaN, a negative epsilon or learning rate, an infinite weight decay, a boolean other than 0
    /// or 1 are refused), and the state must be complete: every setting the optimizer uses in
    /// every group, every buffer a kept step count implies, an epoch the schedule can reach,
    /// non-negative position counts and generator states that are not all zero. Every message
    /// names the file and the key as stored in it (such as <c>optimizer.group.1.lr</c>).
    /// </remarks>
    /// <exception cref="InvalidDataException">The file is truncated or malformed, is not a regular file or not a training checkpoint, or has missing, unreadable or impossible position or generator metadata.</exception>
    /// <exception cref="ArgumentException">The file does not fit the model, optimizer or schedule, or holds optimizer or schedule state they refuse; the message names the file and lists every model mismatch.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    public static TrainingPosition Load(string path, Module model, Optimizer optimizer, LearningRateSchedule? schedule = null) =>
        Load(path, model, optimizer, schedule, PhysicalFileSystem.Instance);

    internal static TrainingPosition Load(string path, Module model, Optimizer optimizer, LearningRateSchedule? schedule, IFileOpener opener)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        using var file = Safetensors.Read(path, opener);
        var metadata = new TrainingMetadata(file);
        metadata.RequireFormat(FormatKey, FormatVersion);
        var position = new TrainingPosition
        {
            Epoch = metadata.Count32(EpochKey),
            BatchInEpoch = metadata.Count32(BatchKey),
            Step = metadata.Count64(StepKey),
        };
        foreach (var (name, text) in metadata.WithPrefix(RngPrefix))
        {
            position.RngStates[name] = metadata.RngState(RngPrefix + name, text);
        }
        foreach (var (name, text) in metadata.WithPrefix(ValuePrefix))
        {
            position.Values[name] = metadata.Double(ValuePrefix + name, text);
        }

        var plan = new StateLoadPlan(file);
        plan.Match(Checkpoint.StateDict(model), name => !IsOptimizerOrSchedule(name));
        plan.ThrowIfMismatched($"this {model.GetType().Name}");

        // Check everything, then apply: the optimizer's and schedule's checks can fail, their
        // appliers cannot, so nothing is changed until all three have accepted the file.
        var applyOptimizer = optimizer.PrepareLoad(metadata.State(OptimizerPrefix), new StateFaults(path, OptimizerPrefix), scheduled: schedule is not null);
        var applySchedule = schedule?.PrepareLoad(metadata.State(SchedulePrefix), new StateFaults(path, SchedulePrefix));
        plan.Apply();
        applyOptimizer();
        applySchedule?.Invoke();
        return position;
    }

    static bool IsOptimizerOrSchedule(string name) =>
        name.StartsWith(OptimizerPrefix, StringComparison.Ordinal) || name.StartsWith(SchedulePrefix, StringComparison.Ordinal);

    static void AddState(string prefix, OptimizerState state, List<KeyValuePair<string, Tensor>> tensors, Dictionary<string, string> metadata)
    {
        foreach (var (key, tensor) in state.Tensors)
        {
            tensors.Add(new(prefix + key, tensor));
        }
        foreach (var (key, value) in state.Scalars)
        {
            metadata[prefix + key] = Text(value);
        }
    }

    static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
