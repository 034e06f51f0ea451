namespace AotNet;

/// <summary>
/// <c>torch.optim.lr_scheduler.StepLR</c>: the rate is multiplied by <see cref="Gamma"/> every
/// <see cref="StepSize"/> epochs, <c>lr = base·gamma^(epoch / stepSize)</c>.
/// </summary>
public sealed class StepLR : LearningRateSchedule
{
    /// <summary>Decays every group by <paramref name="gamma"/> each <paramref name="stepSize"/> epochs.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        StepSize = stepSize;
        Gamma = gamma;
        Start();
    }

    /// <summary>The period of the decay, in epochs.</summary>
    public int StepSize { get; }

    /// <summary>The factor applied at each period.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    protected internal override double LearningRateAt(int group, double baseLearningRate, int epoch) =>
        baseLearningRate * Math.Pow(Gamma, epoch / StepSize);
}
