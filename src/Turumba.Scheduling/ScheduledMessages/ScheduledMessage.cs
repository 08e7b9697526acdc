using Turumba.Platform.Persistence;

namespace Turumba.Scheduling.ScheduledMessages;

/// <summary>A send to fire at <see cref="ScheduledAt"/> in <see cref="Timezone"/>, once or by a recurrence rule.</summary>
internal sealed class ScheduledMessage : TenantEntity
{
    public Guid ChannelId { get; set; }

    public Guid? TemplateId { get; set; }

    public string? MessageBody { get; set; }

    public string? Name { get; set; }

    public ScheduleStatus Status { get; set; } = ScheduleStatus.Pending;

    public SendType SendType { get; set; }

    public Guid? ContactId { get; set; }

    public string? DeliveryAddress { get; set; }

    public List<Guid> ContactGroupIds { get; set; } = [];

    public List<Guid> ExcludeContactIds { get; set; } = [];

    public Dictionary<string, string> CustomValues { get; set; } = [];

    public DateTimeOffset ScheduledAt { get; set; }

    public required string Timezone { get; set; }

    /// <summary><c>recipient_local</c> (group only): each recipient at the run's wall-clock time in its own zone.</summary>
    public DeliverAt DeliverAt { get; set; }

    public bool IsRecurring { get; set; }

    public string? RecurrenceRule { get; set; }

    public DateTimeOffset? RecurrenceEndAt { get; set; }

    /// <summary>The next run; null once the schedule is completed, cancelled or failed. Paused keeps it for display.</summary>
    public DateTimeOffset? NextTriggerAt { get; set; }

    public DateTimeOffset? LastTriggeredAt { get; set; }

    public int TriggerCount { get; set; }

    /// <summary>The message of the last run (single).</summary>
    public Guid? MessageId { get; set; }

    /// <summary>The group message of the last run (group).</summary>
    public Guid? GroupMessageId { get; set; }

    /// <summary>Why the last run could not create its send (channel deleted, contact without an address, …).</summary>
    public string? LastError { get; set; }
}

internal enum ScheduleStatus
{
    Pending,
    Triggered,
    Completed,
    Failed,
    Cancelled,
    Paused,
}

internal enum DeliverAt
{
    ScheduleTime,
    RecipientLocal,
}

internal enum SendType
{
    Single,
    Group,
}
