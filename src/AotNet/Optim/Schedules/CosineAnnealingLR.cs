namespace AotNet;

/// <summary>
/// <c>torch.optim.lr_scheduler.CosineAnnealingLR</c>:
/// <c>lr = etaMin + (base - etaMin)·(1 + cos(π·epoch/tMax))/2</c>. PyTorch computes this
/// recursively; the closed form agrees to rounding, and like PyTorch's it rises again after
/// <c>tMax</c> (no restarts).
/// </summary>
public sealed class CosineAnnealingLR : LearningRateSchedule
{
    /// <summary>Anneals every group from its initial rate to <paramref name="etaMin"/> over <paramref name="tMax"/> epochs.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tMax);
        TMax = tMax;
        EtaMin = etaMin;
        Start();
    }

    /// <summary>The number of epochs of the half cosine.</summary>
    public int TMax { get; }

    /// <summary>The smallest rate.</summary>
    public double EtaMin { get; }

    /// <inheritdoc />
    protected internal override double LearningRateAt(int group, double baseLearningRate, int epoch) =>
        EtaMin + (baseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * epoch / TMax)) / 2;
}
