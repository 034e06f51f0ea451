namespace AotNet.Tests.Training;

/// <summary>A run cancelled part-way through an epoch and resumed in fresh objects ends with the same weights as one that never stopped.</summary>
public class MidEpochResumeTests
{
    const int Epochs = 2;

    sealed record Run(TwoLayerNet Model, Sgd Optimizer, DataLoader Loader, TrainingLoop Loop);

    static Run Start()
    {
        var data = SyntheticDataset.Create(512, 32, 4, seed: 2);
        Rng.ManualSeed(11);
        var model = new TwoLayerNet(inputs: 32, hidden: 24, classes: 4, batch: 32);
        var optimizer = new Sgd(model.Parameters(), lr: 0.05f, momentum: 0.9f, weightDecay: 1e-4f);
        var loader = new DataLoader(data, 32, shuffle: true, dropLast: true, generator: new Rng(12));
        return new Run(model, optimizer, loader, new TrainingLoop(model.LossStep, optimizer, loader, Epochs));
    }

    /// <summary>A fresh run holding the interrupted run's weights and optimizer state, as a checkpoint would restore them.</summary>
    static Run RestoredFrom(Run interrupted)
    {
        var restored = Start();
        var source = interrupted.Model.Parameters();
        var target = restored.Model.Parameters();
        for (int i = 0; i < source.Count; i++)
        {
            target[i].Value.CopyFrom(source[i].Value);
        }
        restored.Optimizer.LoadState(interrupted.Optimizer.GetState());
        return restored;
    }

    static float[][] Weights(Module model) => model.Parameters().Select(p => p.Value.ToArray()).ToArray();

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 9)]
    public void ResumingMidEpochMatchesAnUninterruptedRun(int epoch, int batch)
    {
        var straight = Start();
        straight.Loop.Run();

        var first = Start();
        using var cancel = new CancellationTokenSource();
        var stopper = new StopAfter(epoch, batch, cancel);
        Assert.Throws<OperationCanceledException>(() => first.Loop.Run(stopper, cancellationToken: cancel.Token));
        Assert.Equal(batch, first.Loop.BatchesInEpoch);
        Assert.Equal(epoch - 1, first.Loop.CompletedEpochs);

        var resumed = RestoredFrom(first);
        resumed.Loop.Resume(first.Loop.CompletedEpochs, first.Loop.GlobalStep, first.Loop.BatchesInEpoch, first.Loop.EpochStartState);
        var summaries = resumed.Loop.Run();

        Assert.Equal(batch, resumed.Loader.Count - summaries[0].Steps);
        Assert.Equal(straight.Loop.GlobalStep, resumed.Loop.GlobalStep);
        Assert.Equal(Weights(straight.Model), Weights(resumed.Model));
    }

    [Fact]
    public void StartingTheInterruptedEpochAfreshDoesNotMatch()
    {
        // Shows the test above can fail: resuming at the epoch start instead replays batches.
        var straight = Start();
        straight.Loop.Run();
        var first = Start();
        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => first.Loop.Run(new StopAfter(1, 5, cancel), cancellationToken: cancel.Token));

        var resumed = RestoredFrom(first);
        resumed.Loop.Resume(first.Loop.CompletedEpochs, first.Loop.GlobalStep);
        resumed.Loop.Run();

        Assert.NotEqual(Weights(straight.Model), Weights(resumed.Model));
    }

    [Fact]
    public void RefusesAResumePointOutsideTheRun()
    {
        var run = Start();
        Assert.Throws<ArgumentOutOfRangeException>(() => run.Loop.Resume(0, 0, run.Loader.Count + 1, default));
        Assert.Throws<ArgumentException>(() => run.Loop.Resume(Epochs, 0, 1, default));
    }

    /// <summary>Cancels the run once <paramref name="epoch"/> has taken <paramref name="batch"/> steps.</summary>
    sealed class StopAfter(int epoch, int batch, CancellationTokenSource cancel) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Epoch == epoch && value.Step == batch)
            {
                cancel.Cancel();
            }
        }
    }
}
