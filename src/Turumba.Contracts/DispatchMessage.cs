namespace Turumba.Contracts;

/// <summary>
/// Send one stored message through its channel. Sent (not published) to the channel type's queue,
/// <see cref="DispatchQueues.For"/>; <see cref="CreatedAt"/> locates the message's monthly partition.
/// </summary>
public sealed record DispatchMessage(Guid MessageId, DateTimeOffset CreatedAt, Guid AccountId, Guid ChannelId, string ChannelType);

/// <summary>
/// Send a batch of stored messages of one channel (a group send's page): claimed with one
/// statement, sent concurrently, their outcomes recorded with one statement. Sent to the same
/// queue as <see cref="DispatchMessage"/>; <see cref="BatchId"/> names the command for its dispatch lock.
/// </summary>
public sealed record DispatchBatch(Guid BatchId, Guid AccountId, Guid ChannelId, string ChannelType, IReadOnlyList<DispatchItem> Messages);

public sealed record DispatchItem(Guid MessageId, DateTimeOffset CreatedAt);

public static class DispatchQueues
{
    public static string For(string channelType) => $"message.dispatch.{channelType}";

    public static Uri AddressFor(string channelType) => CommandAddresses.For(For(channelType));
}
