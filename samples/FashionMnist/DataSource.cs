using FashionMnistData = AotNet.FashionMnist;

namespace AotNet.Samples.FashionMnist;

/// <summary>Which data a run trains on.</summary>
public enum DataKind
{
    FashionMnist = 0,
    Synthetic = 1,
}

/// <summary>The data of a run: both splits, a line that says what they are, and their fingerprint.</summary>
public sealed record LoadedData(TensorDataset Train, TensorDataset Test, string Description, DataFingerprint Fingerprint);

/// <summary>Finds Fashion-MNIST, or falls back to a synthetic set so the sample runs on a fresh machine.</summary>
public static class DataSource
{
    public static LoadedData Load(string? directory, bool synthetic, ulong seed, TextWriter log)
    {
        if (synthetic)
        {
            return Synthetic(seed);
        }
        if (directory is not null && !FashionMnistData.IsAvailable(directory))
        {
            throw new DirectoryNotFoundException(
                $"--data {directory}: no Fashion-MNIST files there (expected train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz).");
        }
        string resolved = directory ?? FashionMnistData.DefaultDirectory;
        if (FashionMnistData.IsAvailable(resolved))
        {
            var train = FashionMnistData.LoadTrain(resolved);
            var test = FashionMnistData.LoadTest(resolved);
            return new LoadedData(train, test, $"Fashion-MNIST from {resolved}", DataFingerprint.Of(DataKind.FashionMnist, train, test));
        }
        log.WriteLine($"Fashion-MNIST was not found in {resolved}.");
        log.WriteLine("Install it with:  sudo apt-get install dataset-fashion-mnist   (or pass --data DIR)");
        log.WriteLine("Training on a small built-in synthetic dataset instead.");
        return Synthetic(seed);
    }

    static LoadedData Synthetic(ulong seed)
    {
        // One draw, split in two, so both halves share the class prototypes.
        var all = SyntheticDataset.Create(7000, 784, 10, seed);
        var train = Slice(all, 0, 6000);
        var test = Slice(all, 6000, 1000);
        return new LoadedData(train, test, "synthetic data (6,000 train / 1,000 test)", DataFingerprint.Of(DataKind.Synthetic, train, test));
    }

    static TensorDataset Slice(TensorDataset data, int start, int count)
    {
        int features = data.SampleLength;
        var inputs = data.Inputs.Span.Slice(start * features, count * features).ToArray();
        var labels = data.Targets.Span.Slice(start, count).ToArray();
        return new TensorDataset(new Tensor(inputs, count, features), new Labels(labels));
    }
}
