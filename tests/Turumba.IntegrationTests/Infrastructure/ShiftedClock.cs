namespace Turumba.IntegrationTests;

/// <summary>
/// The system clock moved forward by what a test says: timers still run in real time (so periodic
/// services tick), but "now" can jump a day ahead to make a daily schedule due again.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
