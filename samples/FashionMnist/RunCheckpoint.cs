namespace AotNet.Samples.FashionMnist;

/// <summary>
/// Saves the run at an epoch boundary (model, optimizer, loader generator, counters and the
/// metrics so far) as a <see cref="TrainingCheckpoint"/>, and restores it for <c>--resume</c>.
/// A resumed run continues bit-identically to one that never stopped.
/// </summary>
public static class RunCheckpoint
{
    const string LoaderRng = "loader";

    public static void Save(string path, Mlp model, Trainer trainer, DataLoader loader, IReadOnlyList<EpochReport> metrics)
    {
        var position = new TrainingPosition { Epoch = trainer.Loop.CompletedEpochs, BatchInEpoch = 0, Step = trainer.Loop.GlobalStep };
        // The state after the last epoch's draw is the one the next epoch draws from.
        position.RngStates[LoaderRng] = loader.Generator.State;
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
        if (position.BatchInEpoch != 0)
        {
            throw new InvalidDataException($"{path} was saved in the middle of an epoch; this sample resumes only at epoch boundaries.");
        }
        if (position.Epoch > trainer.Loop.Epochs)
        {
            throw new ArgumentException($"{path} has already run {position.Epoch} epochs; pass --epochs {position.Epoch + 1} or more to continue it.");
        }
        trainer.Loop.Resume(position.Epoch, position.Step);
        loader.Generator.State = position.RngStates[LoaderRng];
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
