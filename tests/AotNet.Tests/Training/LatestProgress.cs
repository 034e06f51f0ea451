namespace AotNet.Tests.Training;

/// <summary>Keeps the latest report only: the allocation-free sink the loop's docs recommend.</summary>
sealed class LatestProgress : IProgress<TrainingProgress>
{
    public TrainingProgress Latest { get; private set; }

    public int Reports { get; private set; }

    public void Report(TrainingProgress value)
    {
        Latest = value;
        Reports++;
    }
}

/// <summary>Records every report, for tests that check the sequence.</summary>
sealed class RecordingProgress : IProgress<TrainingProgress>
{
    public List<TrainingProgress> Reports { get; } = [];

    public void Report(TrainingProgress value) => Reports.Add(value);
}
