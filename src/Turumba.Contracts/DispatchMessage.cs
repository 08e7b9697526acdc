namespace Turumba.Contracts;

/// <summary>
/// Send one stored message through its channel. Sent (not published) to the channel type's queue,
/// <see cref="DispatchQueues.For"/>; <see cref="CreatedAt"/> locates the message's monthly partition.
/// </summary>
public sealed record DispatchMessage(Guid MessageId, DateTimeOffset CreatedAt, Guid AccountId, Guid ChannelId, string ChannelType);

public static class DispatchQueues
{
    public static string For(string channelType) => $"message.dispatch.{channelType}";

    public static Uri AddressFor(string channelType) => new($"queue:{For(channelType)}");
}
