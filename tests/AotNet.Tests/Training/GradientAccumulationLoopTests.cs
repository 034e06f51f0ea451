using AotNet.Tests.Support;

namespace AotNet.Tests.Training;

/// <summary>TrainingLoop with accumulationSteps: groups of batches per optimizer step, each batch told how to write its gradient.</summary>
public class GradientAccumulationLoopTests
{
    /// <summary>Samples whose label is their index, so every batch is recognisable by its first label.</summary>
    static DataLoader Loader(int samples, int batchSize) =>
        new(new TensorDataset(new Tensor(samples, 2), new Labels(Enumerable.Range(0, samples).ToArray())), batchSize);

    /// <summary>Records every call's first label and GradientWrite, with the optimizer steps taken before it.</summary>
    sealed class Recorder(CountingOptimizer optimizer)
    {
        public List<(int First, GradientWrite Write, int StepsBefore)> Calls { get; } = [];

        public float Step(Tensor x, Labels y, GradientWrite gradients)
        {
            Calls.Add((y[0], gradients, optimizer.Steps));
            return y[0];
        }
    }

    [Fact]
    public void EachGroupOverwritesThenAccumulatesWithScaleOneOverItsSizeAndStepsOnce()
    {
        var optimizer = new CountingOptimizer();
        var recorder = new Recorder(optimizer);
        // 10 samples in batches of 1, groups of 4: 4, 4 and a last group of 2.
        var loop = new TrainingLoop(recorder.Step, optimizer, Loader(10, 1), epochs: 1, accumulationSteps: 4);
        var progress = new RecordingProgress();
        var summary = loop.RunEpoch(progress);

        var quarter = (GradientWrite.Overwrite(0.25f), GradientWrite.Accumulate(0.25f));
        var half = (GradientWrite.Overwrite(0.5f), GradientWrite.Accumulate(0.5f));
        Assert.Equal(
            [
                (0, quarter.Item1, 0), (1, quarter.Item2, 0), (2, quarter.Item2, 0), (3, quarter.Item2, 0),
                (4, quarter.Item1, 1), (5, quarter.Item2, 1), (6, quarter.Item2, 1), (7, quarter.Item2, 1),
                (8, half.Item1, 2), (9, half.Item2, 2),
            ],
            recorder.Calls);
        Assert.Equal(3, optimizer.Steps);
        Assert.Equal(3, loop.StepsPerEpoch);
        Assert.Equal(3, loop.GlobalStep);
        Assert.Equal(0, loop.BatchesInEpoch);

        // One report per optimizer step; a step's loss is the mean of its batches' losses.
        Assert.Equal([(1, 3, 1L), (2, 3, 2L), (3, 3, 3L)], progress.Reports.Select(p => (p.Step, p.StepsPerEpoch, p.GlobalStep)).ToArray());
        Assert.Equal([1.5f, 5.5f, 8.5f], progress.Reports.Select(p => p.Loss).ToArray());
        Assert.Equal(1.0, progress.Reports[^1].EpochFraction);
        Assert.Equal((3, 10, 8.5f, (1.5f + 5.5f + 8.5f) / 3), (summary.Steps, summary.Samples, summary.LastLoss, summary.MeanLoss));
    }

    [Fact]
    public void GroupsStartAgainInEveryEpoch()
    {
        var optimizer = new CountingOptimizer();
        var recorder = new Recorder(optimizer);
        // 3 batches per epoch in groups of 2: steps after batches 2 and 3 of each epoch.
        var loop = new TrainingLoop(recorder.Step, optimizer, Loader(6, 2), epochs: 2, accumulationSteps: 2);
        loop.Run();
        Assert.Equal([0, 0, 1, 2, 2, 3], recorder.Calls.Select(c => c.StepsBefore).ToArray());
        Assert.Equal([false, true, false, false, true, false], recorder.Calls.Select(c => c.Write.Accumulates).ToArray());
        Assert.Equal([0.5f, 0.5f, 1f, 0.5f, 0.5f, 1f], recorder.Calls.Select(c => c.Write.Scale).ToArray());
        Assert.Equal(4, loop.GlobalStep);
    }

    [Fact]
    public void OneBatchPerStepOverwritesWithScaleOne()
    {
        var optimizer = new CountingOptimizer();
        var recorder = new Recorder(optimizer);
        var loop = new TrainingLoop(recorder.Step, optimizer, Loader(10, 4), epochs: 1);
        loop.Run();
        Assert.Equal(1, loop.AccumulationSteps);
        Assert.All(recorder.Calls, c => Assert.Equal(default, c.Write));
        Assert.Equal([0, 1, 2], recorder.Calls.Select(c => c.StepsBefore).ToArray());
    }

    [Fact]
    public void CancellationWaitsForTheGroupsOptimizerStepAndResumeContinuesAtTheNextGroup()
    {
        using var cancel = new CancellationTokenSource();
        var optimizer = new CountingOptimizer();
        var loader = Loader(10, 1);
        var seen = new List<int>();
        var loop = new TrainingLoop((x, y, g) =>
        {
            seen.Add(y[0]);
            if (y[0] == 5)
            {
                cancel.Cancel();
            }
            return 0f;
        }, optimizer, loader, epochs: 1, accumulationSteps: 3);
        Assert.Throws<OperationCanceledException>(() => loop.RunEpoch(cancellationToken: cancel.Token));
        // Cancelled in the second group: it still ran to its end and its optimizer step.
        Assert.Equal([0, 1, 2, 3, 4, 5], seen);
        Assert.Equal((2, 6, 2L), (optimizer.Steps, loop.BatchesInEpoch, loop.GlobalStep));

        var resumed = new TrainingLoop((x, y, g) =>
        {
            seen.Add(y[0]);
            return 0f;
        }, optimizer, loader, epochs: 1, accumulationSteps: 3);
        resumed.Resume(0, loop.GlobalStep, loop.BatchesInEpoch, loop.EpochStartState);
        var progress = new RecordingProgress();
        var summary = resumed.RunEpoch(progress);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], seen);
        // Batches 6-8 and then 9 alone: two more steps, numbered on from the first two.
        Assert.Equal([(3, 4, 3L), (4, 4, 4L)], progress.Reports.Select(p => (p.Step, p.StepsPerEpoch, p.GlobalStep)).ToArray());
        Assert.Equal((2, 4, 4L), (summary.Steps, optimizer.Steps, resumed.GlobalStep));
    }

    [Fact]
    public void ResumingInsideAGroupIsRefused()
    {
        var loop = new TrainingLoop((x, y, g) => 0f, new CountingOptimizer(), Loader(10, 1), epochs: 1, accumulationSteps: 4);
        var error = Assert.Throws<ArgumentException>(() => loop.Resume(0, 1, 5, default));
        Assert.Equal("batchesInEpoch", error.ParamName);
        Assert.Contains("group of 4", error.Message);
        loop.Resume(0, 2, 8, default);
        loop.Resume(0, 3, 10, default);
    }

    [Fact]
    public void AccumulationStepsBelowOneAreRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new TrainingLoop((x, y, g) => 0f, new CountingOptimizer(), Loader(4, 1), epochs: 1, accumulationSteps: 0));
        Assert.Equal("accumulationSteps", error.ParamName);
        Assert.Throws<ArgumentNullException>("step", () => new TrainingLoop((TrainingStep)null!, new CountingOptimizer(), Loader(4, 1), epochs: 1));
    }

    [Fact]
    public void AccumulatingStepsAllocateNothingAfterTheFirstEpoch()
    {
        var dataset = SyntheticDataset.Create(2000, 16, 4, seed: 1);
        var model = new Linear(16, 4);
        var optimizer = new Sgd(model.Parameters(), lr: 0.01f, momentum: 0.9f);
        var loader = new DataLoader(dataset, 32, shuffle: true, generator: new Rng(2));
        // Stands in for a generated LossStep: writes the gradient as asked, allocating nothing.
        float Step(Tensor x, Labels y, GradientWrite gradients)
        {
            var grad = model.Weight.Grad.Span;
            if (!gradients.Accumulates)
            {
                grad.Clear();
            }
            grad[0] += gradients.Scale * x[0];
            return x[1];
        }
        var loop = new TrainingLoop(Step, optimizer, loader, epochs: 20, accumulationSteps: 3);
        var progress = new LatestProgress();
        long allocated = SteadyAllocations.Fewest(() => loop.RunEpoch(progress));
        Assert.Equal(0, allocated);
        Assert.Equal(loop.CompletedEpochs * loop.StepsPerEpoch, progress.Reports);
        Assert.Equal(loop.StepsPerEpoch, progress.Latest.Step);
    }
}
