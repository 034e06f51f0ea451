using AotNet.Tests.Support;

namespace AotNet.Tests.IO;

/// <summary>
/// A training checkpoint whose metadata or optimizer state is incomplete or out of range is refused,
/// with the file and the key named, and nothing it would restore changes.
/// </summary>
public class TrainingCheckpointRefusalTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A saved Adam run over two groups, with one entry of its metadata replaced or (for a null text) removed.</summary>
    string SaveWith(string key, string? text, bool dropTensor = false)
    {
        var model = new TwoLayer(3, 2, 2, seed: 1);
        var optimizer = TwoGroupAdam(model, 0.01f);
        Train(model, optimizer);
        string good = _dir.File("good.safetensors");
        var position = new TrainingPosition { Epoch = 2, BatchInEpoch = 1, Step = 9 };
        position.RngStates["loader"] = new Rng(3).State;
        TrainingCheckpoint.Save(good, model, optimizer, position);
        var file = Safetensors.Read(good);
        var metadata = file.Metadata.ToDictionary();
        var tensors = file.Entries.Select(e => KeyValuePair.Create(e.Name, file.ReadTensor(e.Name))).ToList();
        if (dropTensor)
        {
            tensors.RemoveAll(t => t.Key == key);
        }
        else if (text is null)
        {
            metadata.Remove(key);
        }
        else
        {
            metadata[key] = text;
        }
        string bad = _dir.File("bad.safetensors");
        Safetensors.Write(bad, tensors, metadata);
        return bad;
    }

    static Adam TwoGroupAdam(TwoLayer model, float lr) =>
        new([new ParameterGroup([model.Fc1.Weight, model.Fc1.Bias!]), new ParameterGroup([model.Fc2.Weight, model.Fc2.Bias!]) { Beta1 = 0.8f }], lr);

    static void Train(Module model, Optimizer optimizer)
    {
        foreach (var parameter in model.Parameters())
        {
            parameter.Grad.Span.Fill(0.25f);
        }
        optimizer.Step();
    }

    [Theory]
    [InlineData("position.epoch", "-1")]
    [InlineData("position.batch", "-3")]
    [InlineData("position.step", "-9")]
    [InlineData("rng.loader", "0,0,0,0")]
    public void AnImpossiblePositionIsRefused(string key, string text)
    {
        string bad = SaveWith(key, text);
        var (model, optimizer, before) = Fresh();
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(bad, model, optimizer));
        Assert.StartsWith(bad, error.Message);
        Assert.Contains($"'{key}'", error.Message);
        before.AssertUnchanged(model, optimizer);
    }

    [Theory]
    [InlineData("optimizer.group.1.lr", "-1")]
    [InlineData("optimizer.group.0.lr", "1e400")]
    [InlineData("optimizer.group.0.lr", "Infinity")]
    [InlineData("optimizer.group.1.beta1", "1.5")]
    [InlineData("optimizer.group.0.beta1", "NaN")]
    [InlineData("optimizer.group.0.beta2", "NaN")]
    [InlineData("optimizer.group.1.eps", "-1")]
    [InlineData("optimizer.group.0.weight_decay", "NaN")]
    [InlineData("optimizer.group.0.amsgrad", "2")]
    [InlineData("optimizer.state.0.step", "1e300")]
    [InlineData("optimizer.group.0.lr", null)]
    [InlineData("optimizer.group.1.beta2", null)]
    public void AnOptimizerSettingTheConstructorWouldRefuseIsRefusedAndNothingChanges(string key, string? text)
    {
        string bad = SaveWith(key, text);
        var (model, optimizer, before) = Fresh();
        var error = Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Load(bad, model, optimizer));
        Assert.Contains(bad, error.Message);
        Assert.Contains($"'{key}'", error.Message);
        before.AssertUnchanged(model, optimizer);
    }

    [Fact]
    public void AMissingMomentEstimateIsRefusedWhileItsStepCountIsKept()
    {
        string bad = SaveWith("optimizer.state.0.exp_avg", null, dropTensor: true);
        var (model, optimizer, before) = Fresh();
        var error = Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Load(bad, model, optimizer));
        Assert.Contains(bad, error.Message);
        Assert.Contains("'optimizer.state.0.exp_avg'", error.Message);
        before.AssertUnchanged(model, optimizer);
    }

    [Fact]
    public void AnOptimizerOfAnotherKindIsRefusedNamingTheFile()
    {
        var model = new TwoLayer(3, 2, 2, seed: 1);
        var sgd = new Sgd(model.Parameters(), 0.1f, momentum: 0.9f);
        Train(model, sgd);
        string path = _dir.File("sgd.safetensors");
        TrainingCheckpoint.Save(path, model, sgd, new TrainingPosition());
        var (other, adam, before) = Fresh();
        var error = Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Load(path, other, adam));
        Assert.Contains(path, error.Message);
        Assert.Contains("'optimizer.group.count' is 1: the state has 1 parameter groups; this optimizer has 2", error.Message);
        before.AssertUnchanged(other, adam);
    }

    static (TwoLayer, Adam, Snapshot) Fresh()
    {
        var model = new TwoLayer(3, 2, 2, seed: 5);
        var optimizer = TwoGroupAdam(model, 0.02f);
        Train(model, optimizer);
        return (model, optimizer, Snapshot.Of(model, optimizer));
    }

    [Fact]
    public void ALinearOneCycleAtItsEndStillLoadsThoughItsRateIsBelowZero()
    {
        var model = new TwoLayer(3, 2, 2, seed: 1);
        var optimizer = new Sgd(model.Parameters(), 0.1f);
        var schedule = new OneCycleLR(optimizer, maxLr: 0.1, totalSteps: 4, annealStrategy: OneCycleAnnealing.Linear);
        for (int i = 0; i < 4; i++)
        {
            Train(model, optimizer);
            schedule.Step();
        }
        Assert.True(optimizer.Groups[0].LearningRate < 0f, "PyTorch's linear one-cycle ends below zero; the test needs that case.");
        string path = _dir.File("end.safetensors");
        TrainingCheckpoint.Save(path, model, optimizer, new TrainingPosition(), schedule);

        var model2 = new TwoLayer(3, 2, 2, seed: 2);
        var optimizer2 = new Sgd(model2.Parameters(), 0.1f);
        var schedule2 = new OneCycleLR(optimizer2, maxLr: 0.1, totalSteps: 4, annealStrategy: OneCycleAnnealing.Linear);
        TrainingCheckpoint.Load(path, model2, optimizer2, schedule2);
        Assert.Equal(optimizer.Groups[0].LearningRate, optimizer2.Groups[0].LearningRate);
        Assert.Equal(4, schedule2.LastEpoch);
    }
}
