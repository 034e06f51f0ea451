namespace AotNet.Samples.FashionMnist;

/// <summary>The knobs of a training run; the defaults are workload W1.</summary>
public sealed record TrainingOptions(
    int Epochs,
    int BatchSize,
    float LearningRate,
    float Momentum,
    float WeightDecay,
    ulong Seed,
    string? DataDirectory,
    string OutputDirectory,
    bool Deterministic = false,
    bool Normalize = false,
    string? ResumePath = null);
