using Turumba.Platform.Persistence;

namespace Turumba.Groups.GroupMessages;

/// <summary>One send to the members of contact groups, rendered per contact from a template.</summary>
internal sealed class GroupMessage : TenantEntity
{
    public Guid ChannelId { get; set; }

    public Guid TemplateId { get; set; }

    public string? Name { get; set; }

    public GroupMessageStatus Status { get; set; } = GroupMessageStatus.Draft;

    public List<Guid> ContactGroupIds { get; set; } = [];

    public List<Guid> ExcludeContactIds { get; set; } = [];

    public Dictionary<string, string> CustomValues { get; set; } = [];

    public int TotalRecipients { get; set; }

    public int SkippedCount { get; set; }

    /// <summary>Members left out because their address is on the suppression list (not among the recipients).</summary>
    public int SuppressedCount { get; set; }

    public int SentCount { get; set; }

    public int DeliveredCount { get; set; }

    public int FailedCount { get; set; }

    public int PendingCount { get; set; }

    public DateTimeOffset? ScheduledAt { get; set; }

    /// <summary><c>recipient_local</c>: each recipient at <see cref="ScheduledAt"/>'s wall-clock time in <see cref="Timezone"/>, read in its own zone.</summary>
    public GroupDeliverAt DeliverAt { get; set; }

    /// <summary>The zone <see cref="ScheduledAt"/>'s local time is read in (and that of recipients without a zone), for <c>recipient_local</c>.</summary>
    public string? Timezone { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The last contact id fanned out; a resumed fan-out continues after it.</summary>
    public Guid? FanOutCursor { get; set; }

    public bool FanOutCompleted { get; set; }
}

internal enum GroupDeliverAt
{
    ScheduleTime,
    RecipientLocal,
}

internal enum GroupMessageStatus
{
    Draft,
    Queued,
    Processing,
    Completed,
    PartiallyFailed,
    Failed,
    Cancelled,
}
