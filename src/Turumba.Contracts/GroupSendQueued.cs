namespace Turumba.Contracts;

/// <summary>A group message was queued (published by the API): its saga starts the send.</summary>
public sealed record GroupSendQueued(Guid GroupMessageId, Guid AccountId);

/// <summary>A group message was cancelled (published by the API): its saga ends.</summary>
public sealed record GroupSendCancelled(Guid GroupMessageId, Guid AccountId, DateTimeOffset CancelledAt);

/// <summary>Fan a queued group message out to its recipients (queue <c>group_message_processing</c>); sent by the saga.</summary>
public sealed record FanOutGroupSend(Guid GroupMessageId, Guid AccountId);

/// <summary>One page of a fan-out was committed and its dispatch commands sent; <see cref="Suppressed"/> members were left out as suppressed so far.</summary>
public sealed record GroupFanOutProgressed(Guid GroupMessageId, Guid? Cursor, int Recipients, int Skipped, DateTimeOffset At, int Suppressed = 0);

/// <summary>Every recipient of a group message has a message; <see cref="Recipients"/> is the total, <see cref="Suppressed"/> those left out as suppressed.</summary>
public sealed record GroupFanOutCompleted(Guid GroupMessageId, int Recipients, int Skipped, DateTimeOffset At, int Suppressed = 0);

/// <summary>The fan-out could not start (channel or template gone).</summary>
public sealed record GroupFanOutFailed(Guid GroupMessageId, string Reason, DateTimeOffset At);

/// <summary>
/// Periodic progress of a group send (about once a second while it runs, never per message):
/// counters from Redis, or counted in the messages table when exact figures matter (<see cref="Exact"/>:
/// the report that can finish the send). <see cref="FanOutCompleted"/> and <see cref="Recipients"/>
/// are as committed by the fan-out.
/// </summary>
public sealed record GroupSendProgressed(
    Guid GroupMessageId, bool FanOutCompleted, int Recipients, int Pending, int Sent, int Delivered, int Failed, int Cancelled, bool Exact, DateTimeOffset At);

public static class GroupQueues
{
    public const string Processing = "group_message_processing";
    public const string Saga = "group_send_saga";
    public const string Progress = "group_message_progress";

    public static Uri ProcessingAddress => CommandAddresses.For(Processing);
}
