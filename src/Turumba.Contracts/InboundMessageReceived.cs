namespace Turumba.Contracts;

/// <summary>A provider told a webhook that a contact sent a channel a message (queue <c>webhook.inbound</c>).</summary>
public sealed record InboundMessageReceived(
    Guid ChannelId,
    Guid AccountId,
    string ChannelType,
    string EventId,
    string ProviderMessageId,
    string SenderAddress,
    string? SenderName,
    string? Body,
    IReadOnlyList<string> MediaFileIds,
    DateTimeOffset ReceivedAt,
    string? ReplyToProviderMessageId);
