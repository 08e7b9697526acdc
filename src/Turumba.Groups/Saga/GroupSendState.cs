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

    /// <summary>
    /// The last events handled, newest first, each <c>at|event|detail</c>; a run of the same
    /// repeating event (progress reports, fan-out pages) is one entry <c>at|event*count|detail</c>
    /// holding the latest values, so it cannot push the start, completion or a cancel out of the list.
    /// </summary>
    public List<string> RecentEvents { get; set; } = [];

    public void Handled(string name, string detail, DateTimeOffset at)
    {
        if (Repeating.Contains(name) && RecentEvents is [var newest, ..] && EventName(newest) is var (last, count) && last == name)
        {
            RecentEvents[0] = $"{at:O}|{name}*{count + 1}|{detail}";
            UpdatedAt = at;
            return;
        }

        RecentEvents.Insert(0, $"{at:O}|{name}|{detail}");
        if (RecentEvents.Count > RecentEventLimit)
        {
            RecentEvents.RemoveRange(RecentEventLimit, RecentEvents.Count - RecentEventLimit);
        }

        UpdatedAt = at;
    }

    private static readonly HashSet<string> Repeating = new(StringComparer.Ordinal) { "progressed", "fan_out_progressed" };

    /// <summary>The event's name and how many times in a row it was handled.</summary>
    public static (string Name, int Count) EventName(string recorded)
    {
        var name = recorded.Split('|', 3)[1];
        var star = name.IndexOf('*', StringComparison.Ordinal);
        return star < 0 ? (name, 1) : (name[..star], int.Parse(name[(star + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
