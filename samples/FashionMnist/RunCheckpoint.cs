using System.Globalization;

namespace AotNet.Samples.FashionMnist;

/// <summary>The options a run was started with and the data it trained on, as its checkpoint records them.</summary>
public sealed record RunRecord(
    int Epochs, int BatchSize, double LearningRate, double Momentum, double WeightDecay, ulong Seed,
    bool CosineSchedule, bool Normalize, DataFingerprint Data);

/// <summary>
/// Saves the run (model, optimizer, schedule, loader generator, counters and the metrics so far)
/// as a <see cref="TrainingCheckpoint"/>, at the end of an epoch or part-way through one when the
/// run is interrupted, and restores it for <c>--resume</c>. A resumed run continues
/// bit-identically to one that never stopped. The checkpoint also records the run's options and a
/// fingerprint of its data (<see cref="RunRecord"/>, in the position's values under <c>run.</c> and
/// <c>data.</c>), so a resumed run takes the same options and refuses other data.
/// </summary>
public static class RunCheckpoint
{
    const string LoaderRng = "loader";
    const string EpochStartRng = "loader.epoch_start";
    const string RunPrefix = "run.";
    const string DataPrefix = "data.";

    public static void Save(string path, Mlp model, Trainer trainer, DataLoader loader, IReadOnlyList<EpochReport> metrics, RunRecord record)
    {
        var position = new TrainingPosition { Epoch = trainer.Loop.CompletedEpochs, BatchInEpoch = trainer.Loop.BatchesInEpoch, Step = trainer.Loop.GlobalStep };
        // Between epochs the next one draws from the generator's current state; part-way
        // through, the epoch is redrawn from the state it started with.
        position.RngStates[LoaderRng] = loader.Generator.State;
        position.RngStates[EpochStartRng] = trainer.Loop.EpochStartState;
        foreach (var r in metrics)
        {
            position.Values[$"epoch{r.Epoch}.mean_loss"] = r.MeanLoss;
            position.Values[$"epoch{r.Epoch}.last_loss"] = r.LastLoss;
            position.Values[$"epoch{r.Epoch}.test_accuracy"] = r.TestAccuracy;
            position.Values[$"epoch{r.Epoch}.samples_per_second"] = r.SamplesPerSecond;
            position.Values[$"epoch{r.Epoch}.seconds"] = r.Elapsed.TotalSeconds;
        }
        var values = position.Values;
        values[RunPrefix + "epochs"] = record.Epochs;
        values[RunPrefix + "batch_size"] = record.BatchSize;
        values[RunPrefix + "lr"] = record.LearningRate;
        values[RunPrefix + "momentum"] = record.Momentum;
        values[RunPrefix + "weight_decay"] = record.WeightDecay;
        // A double holds 53 bits exactly, so the 64-bit seed goes in two halves.
        values[RunPrefix + "seed_high"] = record.Seed >> 32;
        values[RunPrefix + "seed_low"] = record.Seed & uint.MaxValue;
        values[RunPrefix + "cosine"] = record.CosineSchedule ? 1 : 0;
        values[RunPrefix + "normalize"] = record.Normalize ? 1 : 0;
        record.Data.Write(values, DataPrefix);
        TrainingCheckpoint.Save(path, model, trainer.Loop.Optimizer, position, trainer.Schedule);
    }

    /// <summary>
    /// The options and data fingerprint recorded in the checkpoint at <paramref name="path"/>, read
    /// without restoring anything, or null when it has none (a checkpoint from before they were recorded).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a readable training checkpoint.</exception>
    public static RunRecord? ReadRecord(string path)
    {
        var metadata = Safetensors.Read(path).Metadata;
        if (!metadata.TryGetValue(TrainingCheckpoint.FormatKey, out string? format) || format != TrainingCheckpoint.FormatVersion)
        {
            throw new InvalidDataException($"{path} is not an AotNet training checkpoint ({TrainingCheckpoint.FormatKey} is '{format}', expected '{TrainingCheckpoint.FormatVersion}').");
        }
        // TrainingCheckpoint stores TrainingPosition.Values as value.{name}, round-trip formatted.
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, text) in metadata)
        {
            if (key.StartsWith("value.", StringComparison.Ordinal)
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                values[key["value.".Length..]] = value;
            }
        }
        var data = DataFingerprint.Read(values, DataPrefix);
        if (data is null || !values.ContainsKey(RunPrefix + "seed_low"))
        {
            return null;
        }
        double Value(string name) => values[RunPrefix + name];
        return new RunRecord(
            (int)Value("epochs"), (int)Value("batch_size"), Value("lr"), Value("momentum"), Value("weight_decay"),
            ((ulong)Value("seed_high") << 32) | (ulong)Value("seed_low"),
            Value("cosine") != 0, Value("normalize") != 0, data);
    }

    /// <summary>Restores everything <see cref="Save"/> wrote and returns the metrics of the epochs already run.</summary>
    public static List<EpochReport> Load(string path, Mlp model, Trainer trainer, DataLoader loader)
    {
        var position = TrainingCheckpoint.Load(path, model, trainer.Loop.Optimizer, trainer.Schedule);
        if (position.Epoch > trainer.Loop.Epochs || (position.Epoch == trainer.Loop.Epochs && position.BatchInEpoch > 0))
        {
            throw new ArgumentException($"{path} has already run {position.Epoch} epochs; pass --epochs {position.Epoch + 1} or more to continue it.");
        }
        if (position.BatchInEpoch > 0)
        {
            trainer.Loop.Resume(position.Epoch, position.Step, position.BatchInEpoch, position.RngStates[EpochStartRng]);
        }
        else
        {
            trainer.Loop.Resume(position.Epoch, position.Step);
            loader.Generator.State = position.RngStates[LoaderRng];
        }
        var metrics = new List<EpochReport>();
        for (int e = 1; e <= position.Epoch; e++)
        {
            double Value(string name) => position.Values[$"epoch{e}.{name}"];
            metrics.Add(new EpochReport(e, (float)Value("last_loss"), (float)Value("mean_loss"), Value("test_accuracy"),
                Value("samples_per_second"), TimeSpan.FromSeconds(Value("seconds"))));
        }
        return metrics;
    }
}
