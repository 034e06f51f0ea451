using AotNet.Tests.Support;

namespace AotNet.Tests.Training;

public class TrainingLoopTests
{
    /// <summary>Ten samples whose label is their index, so the step can return a traceable loss.</summary>
    static DataLoader Loader(int samples, int batchSize) =>
        new(new TensorDataset(new Tensor(samples, 2), new Labels(Enumerable.Range(0, samples).ToArray())), batchSize);

    /// <summary>A step whose loss is the first label of the batch, so every reported loss is known in advance.</summary>
    static float FirstLabel(Tensor x, Labels y) => y[0];

    [Fact]
    public void ReportsEveryStepWithItsPosition()
    {
        var optimizer = new CountingOptimizer();
        var loop = new TrainingLoop(FirstLabel, optimizer, Loader(10, 4), epochs: 2);
        var progress = new RecordingProgress();
        loop.Run(progress);

        var positions = progress.Reports.Select(p => (p.Epoch, p.Step, p.GlobalStep)).ToArray();
        Assert.Equal([(1, 1, 1L), (1, 2, 2L), (1, 3, 3L), (2, 1, 4L), (2, 2, 5L), (2, 3, 6L)], positions);
        Assert.All(progress.Reports, p => Assert.Equal((2, 3), (p.Epochs, p.StepsPerEpoch)));
        Assert.Equal(6, optimizer.Steps);
        Assert.Equal(6, loop.GlobalStep);
        Assert.True(loop.IsComplete);
    }

    [Fact]
    public void LossIsTheStepsAndMeanLossIsTheEpochsRunningMean()
    {
        var loop = new TrainingLoop(FirstLabel, new CountingOptimizer(), Loader(10, 4), epochs: 1);
        var progress = new RecordingProgress();
        loop.Run(progress);
        // Batches start at labels 0, 4 and 8.
        Assert.Equal([0f, 4f, 8f], progress.Reports.Select(p => p.Loss).ToArray());
        Assert.Equal([0f, 2f, 4f], progress.Reports.Select(p => p.MeanLoss).ToArray());
        Assert.Equal([1.0 / 3, 2.0 / 3, 1.0], progress.Reports.Select(p => p.EpochFraction).ToArray());
    }

    [Fact]
    public void EpochSummariesCountStepsAndSamples()
    {
        var loop = new TrainingLoop(FirstLabel, new CountingOptimizer(), Loader(10, 4), epochs: 3);
        var seen = new List<EpochSummary>();
        var returned = loop.Run(onEpoch: seen.Add);
        Assert.Equal(returned, seen);
        Assert.Equal([1, 2, 3], seen.Select(s => s.Epoch).ToArray());
        Assert.All(seen, s => Assert.Equal((3, 3, 10, 4f, 8f), (s.Epochs, s.Steps, s.Samples, s.MeanLoss, s.LastLoss)));
        Assert.Equal([3L, 6L, 9L], seen.Select(s => s.GlobalStep).ToArray());
        Assert.All(seen, s => Assert.True(s.SamplesPerSecond > 0 && s.Elapsed > TimeSpan.Zero));
    }

    [Fact]
    public void ResumeContinuesTheCountsAndRunsOnlyTheRemainingEpochs()
    {
        var optimizer = new CountingOptimizer();
        var loop = new TrainingLoop(FirstLabel, optimizer, Loader(10, 4), epochs: 3);
        loop.Resume(completedEpochs: 2, globalStep: 6);
        var progress = new RecordingProgress();
        var summaries = loop.Run(progress);
        Assert.Equal([3], summaries.Select(s => s.Epoch).ToArray());
        Assert.Equal([7L, 8L, 9L], progress.Reports.Select(p => p.GlobalStep).ToArray());
        Assert.Equal(3, optimizer.Steps);
        Assert.Equal(TimeSpan.Zero, progress.Reports[^1].Remaining);
    }

    [Fact]
    public void RunningPastTheLastEpochIsRefused()
    {
        var loop = new TrainingLoop(FirstLabel, new CountingOptimizer(), Loader(4, 4), epochs: 1);
        loop.RunEpoch();
        var error = Assert.Throws<InvalidOperationException>(() => loop.RunEpoch());
        Assert.Contains("All 1 epochs have run", error.Message);
        Assert.Empty(loop.Run());
    }

    [Fact]
    public void CancellationStopsBeforeTheNextStepAndLeavesTheEpochUnfinished()
    {
        using var cancel = new CancellationTokenSource();
        var optimizer = new CountingOptimizer();
        var loop = new TrainingLoop((x, y) =>
        {
            if (y[0] == 4)
            {
                cancel.Cancel();
            }
            return 0f;
        }, optimizer, Loader(10, 4), epochs: 1);
        Assert.Throws<OperationCanceledException>(() => loop.RunEpoch(cancellationToken: cancel.Token));
        Assert.Equal(2, optimizer.Steps);
        Assert.Equal(0, loop.CompletedEpochs);
    }

    [Fact]
    public void RemainingTimeIsStepsLeftAtTheMeanStepTimeWithoutTheFirstStep()
    {
        var clock = new ManualClock();
        // The first step takes 100 ms (warm-up), every later one 2 ms.
        var loop = new TrainingLoop((x, y) =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(clock.Now == TimeSpan.Zero ? 100 : 2));
            return 0f;
        }, new CountingOptimizer(), Loader(10, 2), epochs: 2, clock);
        var progress = new RecordingProgress();
        loop.Run(progress);

        var remaining = progress.Reports.Select(p => p.Remaining.TotalMilliseconds).ToArray();
        // After the first step nothing is known but that step: 9 steps left at 100 ms.
        Assert.Equal(900, remaining[0], 6);
        // From then on, 2 ms per step left, exactly.
        for (int k = 1; k < remaining.Length; k++)
        {
            Assert.Equal(2.0 * (remaining.Length - 1 - k), remaining[k], 6);
        }
        Assert.Equal([100.0, 108.0, 118.0], new[] { 1, 5, 10 }.Select(i => progress.Reports[i - 1].Elapsed.TotalMilliseconds).ToArray());
        // Epoch 2 is 5 steps of 2 samples, 2 ms each: 10 samples in 10 ms.
        Assert.Equal(1000.0, progress.Reports[^1].SamplesPerSecond, 6);
    }

    [Fact]
    public void RemainingTimeFallsOnARealClock()
    {
        var loop = new TrainingLoop(FirstLabel, new CountingOptimizer(), Loader(200, 2), epochs: 2);
        var progress = new RecordingProgress();
        loop.Run(progress);
        var remaining = progress.Reports.Select(p => p.Remaining).ToArray();
        Assert.True(remaining[10] > remaining[^2], $"{remaining[10]} then {remaining[^2]}");
        Assert.Equal(TimeSpan.Zero, remaining[^1]);
        Assert.True(progress.Reports[^1].Elapsed > progress.Reports[0].Elapsed);
    }

    [Fact]
    public void StepsAllocateNothingAfterTheFirstEpoch()
    {
        var dataset = SyntheticDataset.Create(2000, 16, 4, seed: 1);
        var model = new Linear(16, 4);
        var optimizer = new Sgd(model.Parameters(), lr: 0.01f, momentum: 0.9f, weightDecay: 1e-4f);
        var loader = new DataLoader(dataset, 32, shuffle: true, generator: new Rng(2), transform: Normalize.FromDataset(dataset));
        // A step that touches the gradient but allocates nothing, standing in for a generated LossStep.
        float Step(Tensor x, Labels y)
        {
            model.Weight.Grad.Span.Fill(x[0] * 1e-3f);
            return x[1];
        }
        var loop = new TrainingLoop(Step, optimizer, loader, epochs: 20);
        var progress = new LatestProgress();
        long allocated = SteadyAllocations.Fewest(() => loop.RunEpoch(progress));
        Assert.Equal(0, allocated);
        Assert.Equal(loop.CompletedEpochs * loader.Count, progress.Reports);
        Assert.Equal(loop.GlobalStep, progress.Latest.GlobalStep);
        Assert.Equal(loader.Count, progress.Latest.Step);
    }
}
