namespace AotNet.Samples.FashionMnist;

/// <summary>What one epoch produced.</summary>
public sealed record EpochReport(int Epoch, float LastLoss, float MeanLoss, double TestAccuracy, double SamplesPerSecond, TimeSpan Elapsed);

/// <summary>
/// Trains the MLP through its generated step: <c>LossStep</c> fills every gradient, SGD
/// applies them, and <see cref="TrainingLoop"/> drives the epochs. Nothing in the loop
/// allocates once the first batch has been seen.
/// </summary>
public sealed class Trainer
{
    readonly Mlp _model;
    readonly IBatchTransform? _transform;

    public Trainer(Mlp model, TrainingOptions options, DataLoader loader)
    {
        _model = model;
        _transform = loader.Transform;
        var optimizer = new Sgd(model.Parameters(), options.LearningRate, options.Momentum, weightDecay: options.WeightDecay);
        Loop = new TrainingLoop(model.LossStep, optimizer, loader, options.Epochs);
        // The constant rate of W1 leaves the last epochs bouncing by a point of accuracy;
        // decaying it to zero over the run settles them.
        Schedule = options.CosineSchedule ? new CosineAnnealingLR(optimizer, tMax: options.Epochs) : null;
    }

    public TrainingLoop Loop { get; }

    /// <summary>The learning-rate schedule, stepped once per epoch, or null for a constant rate.</summary>
    public LearningRateSchedule? Schedule { get; }

    /// <summary>Runs the next epoch in training mode, then advances the schedule.</summary>
    /// <exception cref="OperationCanceledException">The run was interrupted; <see cref="TrainingLoop.BatchesInEpoch"/> says how far the epoch got.</exception>
    public EpochSummary TrainEpoch(IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        _model.Train();
        var summary = Loop.RunEpoch(progress, cancellationToken);
        Schedule?.Step();
        return summary;
    }

    /// <summary>The fraction of <paramref name="test"/> the model classifies correctly, through the generated inference path.</summary>
    public double Evaluate(TensorDataset test)
    {
        _model.Eval();
        int correct = 0;
        foreach (var (x, y) in new DataLoader(test, batchSize: 1000, transform: _transform))
        {
            var logits = _model.ForwardCompiled(x);
            correct += CountCorrect(logits, y);
        }
        return test.Count == 0 ? 0 : (double)correct / test.Count;
    }

    static int CountCorrect(Tensor logits, Labels labels)
    {
        int classes = logits.Dim(1);
        var scores = logits.Span;
        int correct = 0;
        for (int row = 0; row < labels.Length; row++)
        {
            var rowScores = scores.Slice(row * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (rowScores[c] > rowScores[best])
                {
                    best = c;
                }
            }
            correct += best == labels[row] ? 1 : 0;
        }
        return correct;
    }
}
