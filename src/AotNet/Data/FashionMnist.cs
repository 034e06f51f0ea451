namespace AotNet;

/// <summary>
/// Fashion-MNIST from its four standard IDX files: 60,000 training and 10,000 test images of
/// 28×28 pixels, as [n, 784] floats in [0, 1], with labels 0–9.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The pixels per image.</summary>
    public const int Features = 28 * 28;

    /// <summary>The number of classes.</summary>
    public const int Classes = 10;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The 60,000 training images and labels.</summary>
    public static TensorDataset LoadTrain(string directory = DefaultDirectory) => Load(directory, "train");

    /// <summary>The 10,000 test images and labels.</summary>
    public static TensorDataset LoadTest(string directory = DefaultDirectory) => Load(directory, "t10k");

    /// <summary>True when all four files are in <paramref name="directory"/>, compressed or not.</summary>
    public static bool IsAvailable(string directory = DefaultDirectory) =>
        Find(directory, "train-images-idx3-ubyte") is not null && Find(directory, "train-labels-idx1-ubyte") is not null
        && Find(directory, "t10k-images-idx3-ubyte") is not null && Find(directory, "t10k-labels-idx1-ubyte") is not null;

    static TensorDataset Load(string directory, string split)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string images = Require(directory, $"{split}-images-idx3-ubyte");
        var dataset = IdxDataset.Load(images, Require(directory, $"{split}-labels-idx1-ubyte"), Classes);
        if (dataset.SampleLength != Features)
        {
            throw new InvalidDataException(
                $"{images}: Fashion-MNIST images have {Features} pixels, but these have {dataset.SampleLength}.");
        }
        return dataset;
    }

    static string Require(string directory, string name) =>
        Find(directory, name) ?? throw new FileNotFoundException(
            $"Fashion-MNIST file {name}.gz (or {name}) is not in {directory}. On Debian, install the dataset-fashion-mnist package.",
            Path.Combine(directory, name + ".gz"));

    static string? Find(string directory, string name)
    {
        foreach (string candidate in new[] { name + ".gz", name })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }
}
