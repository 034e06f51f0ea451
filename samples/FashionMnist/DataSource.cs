using FashionMnistData = AotNet.FashionMnist;

namespace AotNet.Samples.FashionMnist;

/// <summary>Finds Fashion-MNIST, or falls back to a synthetic set so the sample runs on a fresh machine.</summary>
public static class DataSource
{
    public static (TensorDataset Train, TensorDataset Test, string Description) Load(string? directory, ulong seed, TextWriter log)
    {
        if (directory is not null && !FashionMnistData.IsAvailable(directory))
        {
            throw new DirectoryNotFoundException(
                $"--data {directory}: no Fashion-MNIST files there (expected train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz).");
        }
        string resolved = directory ?? FashionMnistData.DefaultDirectory;
        if (FashionMnistData.IsAvailable(resolved))
        {
            return (FashionMnistData.LoadTrain(resolved), FashionMnistData.LoadTest(resolved), $"Fashion-MNIST from {resolved}");
        }
        log.WriteLine($"Fashion-MNIST was not found in {resolved}.");
        log.WriteLine("Install it with:  sudo apt-get install dataset-fashion-mnist   (or pass --data DIR)");
        log.WriteLine("Training on a small built-in synthetic dataset instead.");
        // One draw, split in two, so both halves share the class prototypes.
        var all = SyntheticDataset.Create(7000, 784, 10, seed);
        return (Slice(all, 0, 6000), Slice(all, 6000, 1000), "synthetic data (6,000 train / 1,000 test)");
    }

    static TensorDataset Slice(TensorDataset data, int start, int count)
    {
        int features = data.SampleLength;
        var inputs = data.Inputs.Span.Slice(start * features, count * features).ToArray();
        var labels = data.Targets.Span.Slice(start, count).ToArray();
        return new TensorDataset(new Tensor(inputs, count, features), new Labels(labels));
    }
}
