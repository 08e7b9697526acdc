namespace Turumba.Contracts;

/// <summary>A message moved to another status (sent, delivered, read, failed, …).</summary>
public sealed record MessageStatusChanged(
    Guid MessageId,
    DateTimeOffset CreatedAt,
    Guid AccountId,
    Guid ChannelId,
    Guid? GroupMessageId,
    string Status,
    string? ProviderMessageId,
    string? Error,
    DateTimeOffset OccurredAt);
