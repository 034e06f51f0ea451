using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.RegularExpressions;
using AotNet.Samples.FashionMnist;

namespace FashionMnist.Tests;

/// <summary>Whole runs of the sample on its synthetic data (about half a second an epoch), in a temporary folder.</summary>
[Collection(nameof(RunTests))] // runs seed the process-wide generator, so they go one at a time
public sealed class RunTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("fashion-mnist-sample-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    static TrainingOptions Synthetic(string output, int epochs = 1, ulong seed = 5, params string[] given) =>
        new(epochs, 64, 0.05, 0.9, 1e-4, seed, DataDirectory: null, output, Deterministic: true, Synthetic: true)
        {
            Given = given.ToHashSet(),
        };

    static (int Code, string Output, string Error) Run(TrainingOptions options, CancellationToken token = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = App.Run(options, output, error, interactive: false, token);
        return (code, output.ToString(), error.ToString());
    }

    static string Hash(string output) => Regex.Match(output, @"Weights SHA-256 \(seed (\d+)\): ([0-9a-f]{64})").Value;

    [Fact]
    public void ASecondRunDoesNotOverwriteTheFirstUnlessAsked()
    {
        string output = Path.Combine(_root, "out");
        Assert.Equal(0, Run(Synthetic(output)).Code);
        byte[] first = File.ReadAllBytes(Path.Combine(output, "mlp.safetensors"));

        var refused = Run(Synthetic(output, seed: 6));
        Assert.Equal(1, refused.Code);
        Assert.Contains($"{output} already holds the results of a run", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--overwrite", refused.Error, StringComparison.Ordinal);
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(output, "mlp.safetensors")));

        Assert.Equal(0, Run(Synthetic(output, seed: 6) with { Overwrite = true }).Code);
        Assert.NotEqual(first, File.ReadAllBytes(Path.Combine(output, "mlp.safetensors")));
    }

    [Fact]
    public void AResumedRunKeepsItsSeedAndEndsWhereAnUnbrokenRunDoes()
    {
        var whole = Run(Synthetic(Path.Combine(_root, "whole"), epochs: 2));
        Assert.Equal(0, whole.Code);

        string parts = Path.Combine(_root, "parts");
        Assert.Equal(0, Run(Synthetic(parts, epochs: 1)).Code);
        // Neither --seed nor --out: both come from the checkpoint; --epochs extends the run.
        var resumed = Run(Synthetic(null!, epochs: 2, seed: 0, given: "--epochs") with
        {
            ResumePath = Path.Combine(parts, "training.ckpt"),
            OutputDirectory = null,
            Synthetic = false,
        });
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains("Resumed from", resumed.Output, StringComparison.Ordinal);
        Assert.StartsWith("Weights SHA-256 (seed 5): ", Hash(resumed.Output), StringComparison.Ordinal);
        Assert.Equal(Hash(whole.Output), Hash(resumed.Output));
    }

    [Fact]
    public void AnInterruptedRunSaysHowToContinueItWithItsFolderAndSeed()
    {
        string output = Path.Combine(_root, "interrupted");
        var interrupted = Run(Synthetic(output, epochs: 3, seed: 9), new CancellationToken(canceled: true));
        Assert.Equal(130, interrupted.Code);
        string run = Path.Combine(output, "training.ckpt");
        Assert.Contains($"Continue it with: --resume {run} --epochs 3 --seed 9 --out {output} ", interrupted.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(run));
    }

    [Fact]
    public void ASyntheticRunDoesNotResumeOnFashionMnist()
    {
        string output = Path.Combine(_root, "synthetic");
        Assert.Equal(0, Run(Synthetic(output)).Code);
        string data = FakeFashionMnist(Path.Combine(_root, "data"));

        var refused = Run(Synthetic(output, epochs: 2, given: ["--epochs", "--data"]) with
        {
            ResumePath = Path.Combine(output, "training.ckpt"),
            Synthetic = false,
            DataDirectory = data,
        });
        Assert.Equal(1, refused.Code);
        Assert.Contains("was trained on synthetic data (6,000 train / 1,000 test", refused.Error, StringComparison.Ordinal);
        Assert.Contains("but this run has Fashion-MNIST (128 train / 16 test", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--synthetic", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AResumedRunRefusesAnOptionThatDiffersFromTheCheckpoint()
    {
        string output = Path.Combine(_root, "seeded");
        Assert.Equal(0, Run(Synthetic(output, seed: 5)).Code);

        var refused = Run(Synthetic(output, epochs: 2, seed: 6, given: ["--epochs", "--seed"]) with { ResumePath = Path.Combine(output, "training.ckpt") });
        Assert.Equal(1, refused.Code);
        Assert.Contains("--seed 6 (the run was started with --seed 5)", refused.Error, StringComparison.Ordinal);
    }

    /// <summary>Writes a tiny data set in Fashion-MNIST's files (gzipped IDX), with 128 training and 16 test images.</summary>
    static string FakeFashionMnist(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (split, count) in new[] { ("train", 128), ("t10k", 16) })
        {
            Write(Path.Combine(folder, $"{split}-images-idx3-ubyte.gz"), 0x803, [count, 28, 28], i => (byte)(i * 7));
            Write(Path.Combine(folder, $"{split}-labels-idx1-ubyte.gz"), 0x801, [count], i => (byte)(i % 10));
        }
        return folder;

        static void Write(string path, int magic, int[] dims, Func<int, byte> value)
        {
            using var file = new GZipStream(File.Create(path), CompressionLevel.Fastest);
            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(word, magic);
            file.Write(word);
            foreach (int dim in dims)
            {
                BinaryPrimitives.WriteInt32BigEndian(word, dim);
                file.Write(word);
            }
            int length = dims.Aggregate(1, (a, b) => a * b);
            file.Write(Enumerable.Range(0, length).Select(value).ToArray());
        }
    }
}
