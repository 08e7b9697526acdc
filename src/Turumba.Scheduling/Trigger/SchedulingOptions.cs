namespace Turumba.Scheduling.Trigger;

/// <summary><c>Turumba:Scheduling</c>: how long the trigger may sleep, how many due schedules one transaction claims, and how many claim at once.</summary>
internal sealed class SchedulingOptions
{
    public const string Section = "Turumba:Scheduling";

    /// <summary>
    /// The longest the trigger sleeps: it wakes at the nearest due time, and at once when a schedule is
    /// created, edited or resumed (NOTIFY); this is the fallback should a notification be lost.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public int BatchSize { get; set; } = 1000;

    /// <summary>Batches one instance fires side by side when many schedules are due together.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// How far ahead a single-send schedule's run is prepared: its message is written
    /// <c>scheduled</c> for the run's time, so at that time only its release is left to do (decision 60).
    /// Group sends fire at their time. Zero prepares nothing ahead.
    /// </summary>
    public TimeSpan Lookahead { get; set; } = TimeSpan.FromSeconds(10);
}
