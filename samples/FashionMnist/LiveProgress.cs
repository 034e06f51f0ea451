using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace AotNet.Samples.FashionMnist;

/// <summary>
/// Shows <see cref="TrainingProgress"/> on a Spectre.Console progress bar. The loop reports
/// every step on its own thread; the bar's text is rebuilt at most ten times a second, so the
/// steps in between cost a comparison and no allocation.
/// </summary>
public sealed class LiveProgress(ProgressTask task) : IProgress<TrainingProgress>
{
    static readonly long Interval = Stopwatch.Frequency / 10;
    long _nextUpdate;

    public void Report(TrainingProgress value)
    {
        long now = Stopwatch.GetTimestamp();
        bool last = value.Step == value.StepsPerEpoch;
        if (now < _nextUpdate && !last)
        {
            return;
        }
        _nextUpdate = now + Interval;
        task.Value = value.Step;
        task.Description = Describe(value);
    }

    public static string Describe(in TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {p.Epoch}/{p.Epochs}  loss {p.MeanLoss:F4}  {p.SamplesPerSecond,7:F0} samples/s  ETA {Format(p.Remaining)}");

    public static string Format(TimeSpan time) =>
        time.TotalHours >= 1 ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
