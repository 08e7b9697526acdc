namespace Turumba.Contracts;

/// <summary>A group message was queued: fan it out (queue <c>group_message_processing</c>).</summary>
public sealed record GroupSendQueued(Guid GroupMessageId, Guid AccountId);

public static class GroupQueues
{
    public const string Processing = "group_message_processing";
}
