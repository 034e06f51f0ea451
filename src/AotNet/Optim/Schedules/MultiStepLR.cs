namespace AotNet;

/// <summary>
/// <c>torch.optim.lr_scheduler.MultiStepLR</c>: the rate is multiplied by <see cref="Gamma"/> at
/// each milestone epoch, <c>lr = base·gamma^(number of milestones ≤ epoch)</c>. A milestone listed
/// twice counts twice, as in PyTorch.
/// </summary>
public sealed class MultiStepLR : LearningRateSchedule
{
    readonly int[] _milestones;

    /// <summary>Decays every group by <paramref name="gamma"/> at each of <paramref name="milestones"/>.</summary>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        _milestones = milestones.Order().ToArray();
        Gamma = gamma;
        Start();
    }

    /// <summary>The epochs at which the rate drops, sorted.</summary>
    public IReadOnlyList<int> Milestones => _milestones;

    /// <summary>The factor applied at each milestone.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    protected internal override double LearningRateAt(int group, double baseLearningRate, int epoch)
    {
        int passed = 0;
        while (passed < _milestones.Length && _milestones[passed] <= epoch)
        {
            passed++;
        }
        return baseLearningRate * Math.Pow(Gamma, passed);
    }
}
