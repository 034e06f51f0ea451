using System.Diagnostics;

namespace AotNet.Samples.FashionMnist;

/// <summary>What one epoch produced.</summary>
public sealed record EpochReport(int Epoch, float LastLoss, float MeanLoss, double TestAccuracy, double SamplesPerSecond, TimeSpan Elapsed);

/// <summary>
/// Trains the MLP through its generated step: <c>LossStep</c> fills every gradient, SGD
/// applies them. Nothing in the loop allocates once the first batch has been seen.
/// </summary>
public sealed class Trainer(Mlp model, TrainingOptions options)
{
    readonly Sgd _optimizer = new(model.Parameters(), options.LearningRate, options.Momentum, weightDecay: options.WeightDecay);

    /// <summary>Runs one epoch over <paramref name="loader"/>, reporting the step count after each batch.</summary>
    public (float LastLoss, float MeanLoss, int Samples, TimeSpan Elapsed) TrainEpoch(DataLoader loader, Action<int, float> onStep)
    {
        model.Train();
        var clock = Stopwatch.StartNew();
        double total = 0;
        float last = float.NaN;
        int steps = 0, samples = 0;
        foreach (var (x, y) in loader)
        {
            last = model.LossStep(x, y);
            _optimizer.Step();
            total += last;
            samples += y.Length;
            onStep(++steps, last);
        }
        clock.Stop();
        return (last, (float)(total / Math.Max(steps, 1)), samples, clock.Elapsed);
    }

    /// <summary>The fraction of <paramref name="test"/> the model classifies correctly, through the generated inference path.</summary>
    public double Evaluate(TensorDataset test)
    {
        model.Eval();
        int correct = 0;
        foreach (var (x, y) in new DataLoader(test, batchSize: 1000))
        {
            var logits = model.ForwardCompiled(x);
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
