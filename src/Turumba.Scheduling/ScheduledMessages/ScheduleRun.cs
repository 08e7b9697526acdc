namespace Turumba.Scheduling.ScheduledMessages;

/// <summary>
/// One occurrence that fired. The primary key (schedule, occurrence) is what makes a run happen
/// once: the row is inserted in the transaction that creates the send.
/// </summary>
internal sealed class ScheduleRun
{
    public Guid ScheduledMessageId { get; set; }

    public DateTimeOffset OccurrenceAt { get; set; }

    public Guid AccountId { get; set; }

    public DateTimeOffset TriggeredAt { get; set; }

    /// <summary>How late the run fired after its time (downtime, a busy trigger).</summary>
    public long DelayMs { get; set; }

    public Guid? MessageId { get; set; }

    public Guid? GroupMessageId { get; set; }

    /// <summary><c>sent</c> when a send was created, otherwise why not.</summary>
    public required string Outcome { get; set; }

    public string? Error { get; set; }
}
