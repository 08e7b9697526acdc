namespace Turumba.Messaging.Messages.Sweeping;

/// <summary>Settings under <c>Turumba:Messages:QueuedSweep</c>.</summary>
internal sealed class QueuedSweepOptions
{
    public const string Section = "Turumba:Messages:QueuedSweep";

    /// <summary>
    /// A message queued (or last sent again) this long ago with nothing of its group send moving in
    /// that time has lost its dispatch command. Far above a normal wait: a single send is claimed
    /// within seconds, and a group send waiting for its rate limit moves some message every minute.
    /// </summary>
    public TimeSpan Threshold { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many messages are sent again per sweep, however many look lost.</summary>
    public int MaxPerSweep { get; set; } = 1_000;
}
