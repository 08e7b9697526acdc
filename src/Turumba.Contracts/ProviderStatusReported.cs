namespace Turumba.Contracts;

/// <summary>
/// A provider reported on a message sent earlier (queue <c>message.status.update</c>). Status is
/// one of sent, delivered, read, failed.
/// </summary>
public sealed record ProviderStatusReported(
    Guid ChannelId,
    Guid AccountId,
    string EventId,
    string ProviderMessageId,
    string Status,
    DateTimeOffset OccurredAt,
    string? ErrorCode,
    string? ErrorMessage);

public static class WebhookQueues
{
    public const string Inbound = "webhook.inbound";
    public const string StatusUpdate = "message.status.update";
}
