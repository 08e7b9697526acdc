namespace Turumba.Scheduling.Trigger;

/// <summary><c>Turumba:Scheduling</c>: how often the trigger looks for due schedules and how many it claims per transaction.</summary>
internal sealed class SchedulingOptions
{
    public const string Section = "Turumba:Scheduling";

    /// <summary>A due run fires within about this long of its time.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public int BatchSize { get; set; } = 200;
}
