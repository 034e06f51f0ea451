using AotNet.Samples.FashionMnist;

namespace FashionMnist.Tests;

public sealed class OptionsTests
{
    static TrainingOptions Options(int epochs = 1, int batchSize = 64, double lr = 0.05) =>
        new(epochs, batchSize, lr, 0.9, 1e-4, Seed: 0, DataDirectory: null, OutputDirectory: null);

    [Fact]
    public void EachBadOptionGetsItsOwnMessageNamingItAndWhatItNeeds()
    {
        var problems = Options(epochs: 0, batchSize: -3, lr: float.NaN).Validate();
        Assert.Equal(
        [
            "--epochs must be a whole number of at least 1 (got 0).",
            "--batch-size must be a whole number of at least 1 (got -3).",
            "--lr must be a positive number such as 0.05 (got NaN).",
        ], problems);
    }

    [Fact]
    public void OneBadOptionIsTheOnlyOneNamed()
    {
        var problem = Assert.Single(Options(lr: 0).Validate());
        Assert.StartsWith("--lr ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("--epochs", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void GoodOptionsHaveNoProblems() => Assert.Empty(Options().Validate());

    [Fact]
    public void SyntheticRunsWriteBesideRealOnesByDefault()
    {
        Assert.Equal("out", TrainingOptions.DefaultOutput(DataKind.FashionMnist));
        Assert.Equal(Path.Combine("out", "synthetic"), TrainingOptions.DefaultOutput(DataKind.Synthetic));
    }

    [Fact]
    public void ResumeArgumentsNameTheOutputFolderAndTheSeed()
    {
        var options = Options(epochs: 10) with { Seed = 42, OutputDirectory = "runs/a", CosineSchedule = false };
        Assert.Equal(
            "--resume runs/a/training.ckpt --epochs 10 --seed 42 --out runs/a --batch-size 64 --lr 0.05 --schedule constant",
            App.ResumeArguments(options, "runs/a/training.ckpt"));
    }
}
