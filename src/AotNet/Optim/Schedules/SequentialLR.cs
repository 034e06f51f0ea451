namespace AotNet;

/// <summary>
/// <c>torch.optim.lr_scheduler.SequentialLR</c>: runs <c>schedules[0]</c> until the first
/// milestone, then <c>schedules[1]</c> restarted from its epoch 0, and so on; e.g. a
/// <see cref="LinearLR"/> warm-up for 5 epochs, then <see cref="CosineAnnealingLR"/>. The inner
/// schedules are driven through this one: step only this one.
/// </summary>
public sealed class SequentialLR : LearningRateSchedule
{
    readonly LearningRateSchedule[] _schedules;
    readonly int[] _milestones;

    /// <summary>Chains <paramref name="schedules"/>, switching at each of the increasing <paramref name="milestones"/>.</summary>
    public SequentialLR(Optimizer optimizer, IReadOnlyList<LearningRateSchedule> schedules, IReadOnlyList<int> milestones)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(milestones);
        for (int i = 0; i < schedules.Count; i++)
        {
            if (!ReferenceEquals(schedules[i]?.Optimizer, optimizer))
            {
                throw new ArgumentException($"Schedule {i} does not belong to this optimizer; every schedule must drive the same one.", nameof(schedules));
            }
        }
        if (milestones.Count != schedules.Count - 1)
        {
            throw new ArgumentException(
                $"Expected one milestone fewer than schedules; got {schedules.Count} schedules and {milestones.Count} milestones.", nameof(milestones));
        }
        for (int i = 1; i < milestones.Count; i++)
        {
            if (milestones[i] <= milestones[i - 1])
            {
                throw new ArgumentException($"Milestones must increase; got {milestones[i - 1]} then {milestones[i]}.", nameof(milestones));
            }
        }
        _schedules = schedules.ToArray();
        _milestones = milestones.ToArray();
        Start();
    }

    /// <inheritdoc />
    protected internal override double LearningRateAt(int group, double baseLearningRate, int epoch)
    {
        var (schedule, local) = Active(epoch);
        return schedule.LearningRateAt(group, schedule.BaseLearningRates[group], local);
    }

    /// <inheritdoc />
    protected internal override void OnEpoch(int epoch)
    {
        var (schedule, local) = Active(epoch);
        schedule.OnEpoch(local);
    }

    (LearningRateSchedule Schedule, int Local) Active(int epoch)
    {
        int index = 0;
        while (index < _milestones.Length && _milestones[index] <= epoch)
        {
            index++;
        }
        return (_schedules[index], index == 0 ? epoch : epoch - _milestones[index - 1]);
    }
}
