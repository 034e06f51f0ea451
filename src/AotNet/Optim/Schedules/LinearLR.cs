namespace AotNet;

/// <summary>
/// <c>torch.optim.lr_scheduler.LinearLR</c>, the usual warm-up: the factor on the initial rate
/// moves linearly from <see cref="StartFactor"/> to <see cref="EndFactor"/> over
/// <see cref="TotalIters"/> epochs, then stays.
/// </summary>
public sealed class LinearLR : LearningRateSchedule
{
    /// <summary>A linear ramp of the rate factor; PyTorch's defaults are 1/3 to 1 over 5 epochs.</summary>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5)
        : base(optimizer)
    {
        if (!(startFactor > 0 && startFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
        }
        if (!(endFactor >= 0 && endFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "Ending multiplicative factor expected to be between 0 and 1.");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalIters);
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalIters = totalIters;
        Start();
    }

    /// <summary>The factor at epoch 0.</summary>
    public double StartFactor { get; }

    /// <summary>The factor from <see cref="TotalIters"/> on.</summary>
    public double EndFactor { get; }

    /// <summary>The length of the ramp, in epochs.</summary>
    public int TotalIters { get; }

    /// <inheritdoc />
    protected internal override double LearningRateAt(int group, double baseLearningRate, int epoch) =>
        baseLearningRate * (StartFactor + (EndFactor - StartFactor) * Math.Min(epoch, TotalIters) / TotalIters);
}
