namespace Turumba.Contracts;

/// <summary>
/// A provider reported on a message sent earlier (queue <c>message.status.update</c>). Status is
/// one of sent, delivered, read, failed; the recipient's address where the provider names it. With a
/// <see cref="Watermark"/> it covers every outbound message to that address sent at or before it (Messenger).
/// </summary>
public sealed record ProviderStatusReported(
    Guid ChannelId,
    Guid AccountId,
    string EventId,
    string ProviderMessageId,
    string Status,
    DateTimeOffset OccurredAt,
    string? ErrorCode,
    string? ErrorMessage,
    string? RecipientAddress = null,
    DateTimeOffset? Watermark = null);

public static class WebhookQueues
{
    public const string Inbound = "webhook.inbound";
    public const string StatusUpdate = "message.status.update";
}
