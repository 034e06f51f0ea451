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
    string OutputDirectory,
    bool Deterministic = false,
    bool Normalize = false,
    string? ResumePath = null,
    bool CosineSchedule = true);
