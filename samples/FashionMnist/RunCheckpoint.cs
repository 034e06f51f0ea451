namespace AotNet.Samples.FashionMnist;

/// <summary>
/// Saves the run (model, optimizer, schedule, loader generator, counters and the metrics so far)
/// as a <see cref="TrainingCheckpoint"/>, at the end of an epoch or part-way through one when the
/// run is interrupted, and restores it for <c>--resume</c>. A resumed run continues
/// bit-identically to one that never stopped.
/// </summary>
public static class RunCheckpoint
{
    const string LoaderRng = "loader";
    const string EpochStartRng = "loader.epoch_start";

    public static void Save(string path, Mlp model, Trainer trainer, DataLoader loader, IReadOnlyList<EpochReport> metrics)
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
        TrainingCheckpoint.Save(path, model, trainer.Loop.Optimizer, position, trainer.Schedule);
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
