using System.Globalization;

namespace AotNet.Samples.FashionMnist;

/// <summary>
/// The knobs of a training run; the defaults are workload W1, with the learning rate decayed
/// along a cosine over the run (<see cref="CosineSchedule"/>) unless asked to stay constant.
/// </summary>
public sealed record TrainingOptions(
    int Epochs,
    int BatchSize,
    double LearningRate,
    double Momentum,
    double WeightDecay,
    ulong Seed,
    string? DataDirectory,
    string? OutputDirectory,
    bool Deterministic = false,
    bool Normalize = false,
    string? ResumePath = null,
    bool CosineSchedule = true,
    bool Overwrite = false,
    bool Synthetic = false)
{
    /// <summary>The folder a run writes to when <c>--out</c> is not given: <c>out</c>, or <c>out/synthetic</c> for synthetic data, so that a run without the dataset never lands on a real run's results.</summary>
    public static string DefaultOutput(DataKind kind) => kind == DataKind.Synthetic ? Path.Combine("out", "synthetic") : "out";

    /// <summary>The command-line options given explicitly (such as <c>--seed</c>); on resume, the others are taken from the checkpoint.</summary>
    public IReadOnlySet<string> Given { get; init; } = new HashSet<string>();

    /// <summary>One message per option whose value cannot be used, naming the option, what it needs and what it got.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Epochs < 1)
        {
            problems.Add($"--epochs must be a whole number of at least 1 (got {Epochs}).");
        }
        if (BatchSize < 1)
        {
            problems.Add($"--batch-size must be a whole number of at least 1 (got {BatchSize}).");
        }
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            problems.Add($"--lr must be a positive number such as 0.05 (got {LearningRate.ToString(CultureInfo.InvariantCulture)}).");
        }
        if (Synthetic && DataDirectory is not null)
        {
            problems.Add($"--synthetic and --data {DataDirectory} ask for different data; pass one of them.");
        }
        return problems;
    }
}
