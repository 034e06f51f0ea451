namespace AotNet;

/// <summary>
/// Where a <see cref="TrainingLoop"/> is, reported after every step. A struct, so reporting it
/// through <see cref="IProgress{T}"/> allocates nothing.
/// </summary>
/// <param name="Epoch">The current epoch, counted from 1.</param>
/// <param name="Epochs">The epochs in the whole run.</param>
/// <param name="Step">The optimizer step just taken within the epoch, counted from 1.</param>
/// <param name="StepsPerEpoch">The optimizer steps in one epoch: the loader's batch count, or with gradient accumulation that count over <see cref="TrainingLoop.AccumulationSteps"/>, rounded up.</param>
/// <param name="GlobalStep">Optimizer steps taken since the start of training, including those before a resume.</param>
/// <param name="Loss">The loss of the step just taken: with gradient accumulation, the mean of its batches' losses.</param>
/// <param name="MeanLoss">The mean loss of this epoch's steps so far.</param>
/// <param name="SamplesPerSecond">Training throughput over this epoch so far.</param>
/// <param name="Elapsed">Time spent training in this process, over all epochs run so far.</param>
/// <param name="Remaining">
/// The estimated time to the end of the run (ETA): the remaining steps at the mean time per
/// step in this process, not counting the first step, which carries the warm-up.
/// </param>
public readonly record struct TrainingProgress(
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    long GlobalStep,
    float Loss,
    float MeanLoss,
    double SamplesPerSecond,
    TimeSpan Elapsed,
    TimeSpan Remaining)
{
    /// <summary>The fraction of this epoch done, from 0 to 1.</summary>
    public double EpochFraction => StepsPerEpoch == 0 ? 1 : (double)Step / StepsPerEpoch;
}
