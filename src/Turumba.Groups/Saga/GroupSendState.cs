using MassTransit;

namespace Turumba.Groups.Saga;

/// <summary>
/// A group send's saga (table <c>groups.group_send_sagas</c>), keyed by the group message's id:
/// where the send is, its counters as last reported, the fan-out cursor, and the last events it handled.
/// </summary>
internal sealed class GroupSendState : SagaStateMachineInstance
{
    public const int RecentEventLimit = 10;

    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public Guid AccountId { get; set; }

    public int Recipients { get; set; }

    public int Skipped { get; set; }

    public int Suppressed { get; set; }

    public int Pending { get; set; }

    public int Sent { get; set; }

    public int Delivered { get; set; }

    public int Failed { get; set; }

    public int Cancelled { get; set; }

    public Guid? FanOutCursor { get; set; }

    public int FanOutPages { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset? FanOutCompletedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The last events handled, newest first, each <c>at|event|detail</c>.</summary>
    public List<string> RecentEvents { get; set; } = [];

    public void Handled(string name, string detail, DateTimeOffset at)
    {
        RecentEvents.Insert(0, $"{at:O}|{name}|{detail}");
        if (RecentEvents.Count > RecentEventLimit)
        {
            RecentEvents.RemoveRange(RecentEventLimit, RecentEvents.Count - RecentEventLimit);
        }

        UpdatedAt = at;
    }
}
