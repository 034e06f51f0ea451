using System.Globalization;
using AotNet.Tests.Support;

namespace AotNet.Tests.IO;

public class TrainingCheckpointTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Fills each gradient with a fixed function of the step, so optimizers build real state without a backward pass.</summary>
    static void Train(Module model, Optimizer optimizer, LearningRateSchedule? schedule, int steps)
    {
        for (int step = 0; step < steps; step++)
        {
            foreach (var parameter in model.Parameters())
            {
                var grad = parameter.Grad.Span;
                var value = parameter.Value.Span;
                for (int i = 0; i < grad.Length; i++)
                {
                    grad[i] = value[i] * 0.5f + MathF.Sin(step + i);
                }
            }
            optimizer.Step();
            schedule?.Step();
        }
    }

    static TrainingPosition SamplePosition()
    {
        var position = new TrainingPosition { Epoch = 3, BatchInEpoch = 17, Step = 1_234_567_890_123 };
        position.RngStates["loader"] = (1UL, ulong.MaxValue, 0x0123456789ABCDEFUL, 42UL);
        position.RngStates["default"] = new Rng(7).State;
        position.Values["best_loss"] = 0.1 + 0.2;
        position.Values["tiny"] = double.Epsilon;
        return position;
    }

    [Fact]
    public void OneSafetensorsFileHoldsModelOptimizerAndPosition()
    {
        var model = new TwoLayer(3, 2, 2, seed: 1);
        var optimizer = new Sgd(model.Parameters(), lr: 0.1f, momentum: 0.9f);
        Train(model, optimizer, null, 2);
        string path = _dir.File("run.safetensors");
        TrainingCheckpoint.Save(path, model, optimizer, SamplePosition());

        var file = Safetensors.Read(path);
        Assert.Equal(
            ["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight",
             "optimizer.state.0.momentum_buffer", "optimizer.state.1.momentum_buffer", "optimizer.state.2.momentum_buffer", "optimizer.state.3.momentum_buffer"],
            file.Entries.Select(e => e.Name));
        Assert.Equal(optimizer.GetState().Tensors["state.1.momentum_buffer"].ToArray(), file.ReadTensor("optimizer.state.1.momentum_buffer").ToArray());
        var metadata = file.Metadata;
        Assert.Equal("training-checkpoint/1", metadata["aotnet.format"]);
        Assert.Equal("3", metadata["position.epoch"]);
        Assert.Equal("17", metadata["position.batch"]);
        Assert.Equal("1234567890123", metadata["position.step"]);
        Assert.Equal($"1,{ulong.MaxValue},81985529216486895,42", metadata["rng.loader"]);
        Assert.Equal("0.30000000000000004", metadata["value.best_loss"]);
        Assert.Equal("5E-324", metadata["value.tiny"]);
        Assert.Equal(((double)0.1f).ToString("R", CultureInfo.InvariantCulture), metadata["optimizer.group.0.lr"]);
    }

    [Fact]
    public void LoadRestoresModelOptimizerScheduleAndPositionExactly()
    {
        var model = new TwoLayer(3, 2, 2, seed: 1);
        var optimizer = new Adam(model.Parameters(), lr: 0.01f);
        var schedule = new StepLR(optimizer, stepSize: 2, gamma: 0.5);
        Train(model, optimizer, schedule, 5);
        string path = _dir.File("run.safetensors");
        var saved = SamplePosition();
        TrainingCheckpoint.Save(path, model, optimizer, saved, schedule);

        var model2 = new TwoLayer(3, 2, 2, seed: 9);
        var optimizer2 = new Adam(model2.Parameters(), lr: 0.01f);
        var schedule2 = new StepLR(optimizer2, stepSize: 2, gamma: 0.5);
        var position = TrainingCheckpoint.Load(path, model2, optimizer2, schedule2);

        Assert.Equal(model.Snapshot(), model2.Snapshot());
        Assert.Equal(saved.Epoch, position.Epoch);
        Assert.Equal(saved.BatchInEpoch, position.BatchInEpoch);
        Assert.Equal(saved.Step, position.Step);
        Assert.Equal(saved.RngStates, position.RngStates);
        Assert.Equal(saved.Values, position.Values);
        Assert.Equal(5, schedule2.LastEpoch);
        Assert.Equal(optimizer.LearningRate, optimizer2.LearningRate);
        AssertSameState(optimizer.GetState(), optimizer2.GetState());

        // The restored pair must also step identically, which covers any state GetState does not show.
        Train(model, optimizer, schedule, 3);
        Train(model2, optimizer2, schedule2, 3);
        Assert.Equal(model.Snapshot(), model2.Snapshot());
    }

    [Fact]
    public void AModelMismatchChangesNeitherModelNorOptimizer()
    {
        var model = new TwoLayer(3, 2, 2, seed: 1);
        var optimizer = new Sgd(model.Parameters(), lr: 0.1f, momentum: 0.9f);
        Train(model, optimizer, null, 2);
        string path = _dir.File("run.safetensors");
        TrainingCheckpoint.Save(path, model, optimizer, SamplePosition());

        var other = new TwoLayer(3, 4, 2, seed: 5);
        var otherOptimizer = new Sgd(other.Parameters(), lr: 0.3f, momentum: 0.9f);
        Train(other, otherOptimizer, null, 1);
        var (before, stateBefore) = (other.Snapshot(), otherOptimizer.GetState());
        var error = Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Load(path, other, otherOptimizer));
        Assert.Contains("'fc1.weight' is [2, 3] in the file but [4, 3] here", error.Message);
        Assert.DoesNotContain("optimizer.", error.Message);
        Assert.Equal(before, other.Snapshot());
        AssertSameState(stateBefore, otherOptimizer.GetState());
        Assert.Equal(0.3f, otherOptimizer.LearningRate);
    }

    [Fact]
    public void AnOptimizerOfAnotherKindIsRefusedAndNothingChanges()
    {
        var model = new TwoLayer(3, 2, 2, seed: 1);
        var adam = new Adam(model.Parameters(), lr: 0.01f);
        Train(model, adam, null, 2);
        string path = _dir.File("run.safetensors");
        TrainingCheckpoint.Save(path, model, adam, SamplePosition());

        var other = new TwoLayer(3, 2, 2, seed: 5);
        var sgd = new Sgd(other.Parameters(), lr: 0.3f, momentum: 0.9f);
        Train(other, sgd, null, 1);
        var (before, stateBefore) = (other.Snapshot(), sgd.GetState());
        Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Load(path, other, sgd));
        Assert.Equal(before, other.Snapshot());
        AssertSameState(stateBefore, sgd.GetState());
    }

    [Fact]
    public void ARefusingScheduleRollsTheOptimizerBack()
    {
        var model = new TwoLayer(3, 2, 2, seed: 1);
        var optimizer = new Sgd(model.Parameters(), lr: 0.1f, momentum: 0.9f);
        Train(model, optimizer, null, 2);
        string path = _dir.File("run.safetensors");
        TrainingCheckpoint.Save(path, model, optimizer, SamplePosition()); // no schedule saved

        var other = new TwoLayer(3, 2, 2, seed: 5);
        var otherOptimizer = new Sgd(other.Parameters(), lr: 0.3f, momentum: 0.9f);
        var schedule = new StepLR(otherOptimizer, stepSize: 1);
        Train(other, otherOptimizer, schedule, 1);
        var (before, stateBefore) = (other.Snapshot(), otherOptimizer.GetState());
        var error = Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Load(path, other, otherOptimizer, schedule));
        Assert.Contains("last_epoch", error.Message);
        Assert.Equal(before, other.Snapshot());
        AssertSameState(stateBefore, otherOptimizer.GetState());
        Assert.Equal(1, schedule.LastEpoch);
    }

    [Fact]
    public void AModelCheckpointIsNotATrainingCheckpoint()
    {
        var model = new TwoLayer(3, 2, 2, seed: 1);
        string path = _dir.File("model.safetensors");
        Checkpoint.Save(model, path);
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path, model, new Sgd(model.Parameters(), 0.1f)));
        Assert.Contains("not an AotNet training checkpoint", error.Message);
        Assert.StartsWith(path, error.Message);
    }

    [Theory]
    [InlineData("position.step", "12x", "'position.step' = '12x', which is not an integer")]
    [InlineData("rng.loader", "1,2,3", "'rng.loader' = '1,2,3', which is not four comma-separated 64-bit words")]
    [InlineData("value.best_loss", "NaNish", "'value.best_loss' = 'NaNish', which is not a number")]
    [InlineData("aotnet.format", "training-checkpoint/9", "is a 'training-checkpoint/9' file")]
    public void UnreadableMetadataIsRefusedBeforeAnythingChanges(string key, string text, string expected)
    {
        var model = new TwoLayer(3, 2, 2, seed: 1);
        var optimizer = new Sgd(model.Parameters(), lr: 0.1f, momentum: 0.9f);
        Train(model, optimizer, null, 2);
        string good = _dir.File("good.safetensors");
        TrainingCheckpoint.Save(good, model, optimizer, SamplePosition());
        var file = Safetensors.Read(good);
        var metadata = file.Metadata.ToDictionary();
        metadata[key] = text;
        string bad = _dir.File("bad.safetensors");
        Safetensors.Write(bad, file.Entries.Select(e => KeyValuePair.Create(e.Name, file.ReadTensor(e.Name))), metadata);

        var other = new TwoLayer(3, 2, 2, seed: 5);
        var before = other.Snapshot();
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(bad, other, new Sgd(other.Parameters(), 0.1f, momentum: 0.9f)));
        Assert.Contains(expected, error.Message);
        Assert.Equal(before, other.Snapshot());
    }

    [Fact]
    public void AParameterNamedLikeOptimizerStateIsRefusedOnSave()
    {
        var model = new Wrapper(new Linear(2, 2, rng: new Rng(1)), "optimizer");
        var error = Assert.Throws<ArgumentException>(() =>
            TrainingCheckpoint.Save(_dir.File("run.safetensors"), model, new Sgd(model.Parameters(), 0.1f), new TrainingPosition()));
        Assert.Contains("'optimizer.weight'", error.Message);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    static void AssertSameState(OptimizerState expected, OptimizerState actual)
    {
        Assert.Equal(expected.Scalars.OrderBy(p => p.Key), actual.Scalars.OrderBy(p => p.Key));
        Assert.Equal(expected.Tensors.Keys.Order(), actual.Tensors.Keys.Order());
        foreach (var (key, tensor) in expected.Tensors)
        {
            Assert.Equal(tensor.ToArray(), actual.Tensors[key].ToArray());
        }
    }
}
