namespace AotNet.Tests.Training;

/// <summary>A clock that moves only when told, so timing-derived figures can be asserted exactly.</summary>
sealed class ManualClock : TimeProvider
{
    long _ticks;

    public TimeSpan Now => TimeSpan.FromTicks(_ticks);

    public void Advance(TimeSpan by) => _ticks += by.Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;
}
