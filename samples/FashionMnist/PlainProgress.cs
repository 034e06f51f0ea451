using System.Globalization;

namespace AotNet.Samples.FashionMnist;

/// <summary>
/// Progress for output that is not a terminal (a file, a pipe, CI logs): one complete line at
/// every tenth of an epoch and at its end, such as
/// <c>epoch 1/10  step 282/937 (30%)  loss 0.6123  12345 samples/s  ETA 0:26</c>, instead of
/// the frames of a live bar.
/// </summary>
public sealed class PlainProgress(TextWriter output) : IProgress<TrainingProgress>
{
    int _nextTenth = 1;
    int _epoch;

    public void Report(TrainingProgress value)
    {
        if (value.Epoch != _epoch)
        {
            _epoch = value.Epoch;
            _nextTenth = 1;
        }
        bool last = value.Step == value.StepsPerEpoch;
        if (!last && (long)value.Step * 10 < (long)_nextTenth * value.StepsPerEpoch)
        {
            return;
        }
        while ((long)_nextTenth * value.StepsPerEpoch <= (long)value.Step * 10)
        {
            _nextTenth++;
        }
        output.WriteLine(Describe(value));
    }

    public static string Describe(in TrainingProgress p)
    {
        int percent = p.StepsPerEpoch == 0 ? 100 : (int)(100L * p.Step / p.StepsPerEpoch);
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}/{p.Epochs}  step {p.Step}/{p.StepsPerEpoch} ({percent}%)  loss {p.MeanLoss:F4}  {p.SamplesPerSecond:F0} samples/s  ETA {LiveProgress.Format(p.Remaining)}");
    }
}
