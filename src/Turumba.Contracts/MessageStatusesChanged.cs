namespace Turumba.Contracts;

/// <summary>
/// Messages moved to another status (sent, delivered, read, failed, …); one event per batch of
/// changes, published by whoever changed them (dispatch, receipts, the sending sweep). The groups
/// module keeps its sends' progress from these.
/// </summary>
public sealed record MessageStatusesChanged(IReadOnlyList<MessageStatusChange> Changes);

public sealed record MessageStatusChange(
    Guid MessageId,
    DateTimeOffset CreatedAt,
    Guid AccountId,
    Guid ChannelId,
    Guid? GroupMessageId,
    string Status,
    string? ProviderMessageId,
    string? Error,
    DateTimeOffset OccurredAt,
    string? PreviousStatus = null);
