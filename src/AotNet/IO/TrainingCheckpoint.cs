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
    public static void Save(string path, Module model, Optimizer optimizer, TrainingPosition position, LearningRateSchedule? schedule = null)
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
        Safetensors.Write(path, tensors, metadata);
    }

    /// <summary>
    /// Restores a run saved by <see cref="Save"/> into existing objects of the same architecture and
    /// returns its position. The whole file is validated against the model, optimizer and schedule
    /// before anything changes; on any error all three are left as they were.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is truncated or malformed, is not a training checkpoint, or has unreadable metadata.</exception>
    /// <exception cref="ArgumentException">The file does not fit the model, optimizer or schedule; the message lists every model mismatch.</exception>
    public static TrainingPosition Load(string path, Module model, Optimizer optimizer, LearningRateSchedule? schedule = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        using var file = Safetensors.Read(path);
        var metadata = new TrainingMetadata(file);
        metadata.RequireFormat(FormatKey, FormatVersion);
        var position = new TrainingPosition
        {
            Epoch = metadata.Int32(EpochKey),
            BatchInEpoch = metadata.Int32(BatchKey),
            Step = metadata.Int64(StepKey),
        };
        foreach (var (name, text) in metadata.WithPrefix(RngPrefix))
        {
            position.RngStates[name] = metadata.RngState(RngPrefix + name, text);
        }
        foreach (var (name, text) in metadata.WithPrefix(ValuePrefix))
        {
            position.Values[name] = metadata.Double(ValuePrefix + name, text);
        }
        var optimizerState = metadata.State(OptimizerPrefix);
        var scheduleState = schedule is null ? null : metadata.State(SchedulePrefix);

        var plan = new StateLoadPlan(file);
        plan.Match(Checkpoint.StateDict(model), name => !IsOptimizerOrSchedule(name));
        plan.ThrowIfMismatched($"this {model.GetType().Name}");

        // Only the optimizer's and schedule's own checks can still fail, so they go first, and the
        // optimizer is put back if the schedule refuses; copying into the model cannot fail.
        var previous = optimizer.GetState();
        optimizer.LoadState(optimizerState);
        if (schedule is not null)
        {
            try
            {
                schedule.LoadState(scheduleState!);
            }
            catch
            {
                optimizer.LoadState(previous);
                throw;
            }
        }
        plan.Apply();
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
