namespace Turumba.Messaging.Messages.Store;

/// <summary>A message a contact sent, to store as <c>direction = inbound</c>, <c>status = delivered</c>.</summary>
internal sealed record InboundMessageRecord(
    Guid AccountId,
    Guid ChannelId,
    Guid? ContactId,
    string ProviderMessageId,
    string SenderAddress,
    string? Body,
    DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>A provider's report to apply to the message it names (by channel and provider id).</summary>
internal sealed record StatusReport(Guid ChannelId, string ProviderMessageId, MessageStatus Status, DateTimeOffset OccurredAt, string? ErrorCode, string? ErrorMessage);

/// <summary>
/// A provider's report on every outbound message to <see cref="Address"/> on the channel sent at or
/// before <see cref="Watermark"/> (Messenger's delivery and read watermarks).
/// </summary>
internal sealed record WatermarkReport(Guid ChannelId, string Address, MessageStatus Status, DateTimeOffset Watermark, DateTimeOffset OccurredAt);

/// <summary>A message whose status a report changed, from <see cref="Previous"/> to <see cref="Status"/>.</summary>
internal sealed record AppliedStatus(Guid MessageId, DateTimeOffset CreatedAt, Guid AccountId, Guid ChannelId, Guid? GroupMessageId, MessageStatus Status, MessageStatus Previous);
