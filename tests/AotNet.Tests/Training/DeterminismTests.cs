using AotNet.Tests.Support;

namespace AotNet.Tests.Training;

public class DeterminismTests
{
    /// <summary>
    /// Two epochs from <paramref name="seed"/>: initialisation, shuffling and every kernel,
    /// with GEMMs large enough to be split across the worker threads. Returns the checkpoint bytes.
    /// </summary>
    static byte[] TrainAndSave(ulong seed, TempDirectory directory, string name)
    {
        var data = SyntheticDataset.Create(1024, 256, 10, seed: 5);
        Rng.ManualSeed(seed);
        var model = new TwoLayerNet(inputs: 256, hidden: 192, classes: 10, batch: 64);
        var optimizer = new Sgd(model.Parameters(), lr: 0.05f, momentum: 0.9f, weightDecay: 1e-4f);
        var loader = new DataLoader(data, 64, shuffle: true, dropLast: true, generator: new Rng(seed + 1));
        var loop = new TrainingLoop(model.LossStep, optimizer, loader, epochs: 2);
        var summaries = loop.Run();
        Assert.True(summaries[^1].MeanLoss < summaries[0].MeanLoss, "the model should learn, or the comparison proves little");
        string path = directory.File(name);
        Checkpoint.Save(model, path);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeights()
    {
        using var directory = new TempDirectory();
        var first = TrainAndSave(seed: 3, directory, "a.ckpt");
        var second = TrainAndSave(seed: 3, directory, "b.ckpt");
        Assert.Equal(first, second);
    }

    [Fact]
    public void DifferentSeedGivesDifferentWeights()
    {
        using var directory = new TempDirectory();
        Assert.NotEqual(TrainAndSave(seed: 3, directory, "a.ckpt"), TrainAndSave(seed: 4, directory, "b.ckpt"));
    }
}
