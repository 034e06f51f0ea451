namespace AotNet;

/// <summary>What one epoch of a <see cref="TrainingLoop"/> did.</summary>
/// <param name="Epoch">The epoch, counted from 1.</param>
/// <param name="Epochs">The epochs in the whole run.</param>
/// <param name="Steps">The optimizer steps this call ran in the epoch: all of them, or those after the resume point when the epoch was resumed part-way. One per batch, or per group of <see cref="TrainingLoop.AccumulationSteps"/> batches.</param>
/// <param name="Samples">The samples trained on in this epoch.</param>
/// <param name="MeanLoss">The mean of this epoch's step losses; NaN for an epoch without steps.</param>
/// <param name="LastLoss">The loss of the epoch's last step; NaN for an epoch without steps.</param>
/// <param name="SamplesPerSecond">Training throughput over the epoch.</param>
/// <param name="Elapsed">The epoch's wall-clock time.</param>
/// <param name="GlobalStep">Steps taken since the start of training, at the end of this epoch.</param>
public readonly record struct EpochSummary(
    int Epoch,
    int Epochs,
    int Steps,
    int Samples,
    float MeanLoss,
    float LastLoss,
    double SamplesPerSecond,
    TimeSpan Elapsed,
    long GlobalStep);
