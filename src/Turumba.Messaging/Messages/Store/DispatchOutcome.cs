namespace Turumba.Messaging;

/// <summary>
/// How sending one message ended: sent with the provider's id (and what else it said of the message,
/// such as Twilio's <c>num_segments</c>, merged into the message's metadata), or failed with a code and reason.
/// </summary>
public sealed record DispatchOutcome(
    Guid Id,
    DateTimeOffset CreatedAt,
    MessageStatus Status,
    string? ProviderMessageId,
    int Attempts,
    string? ErrorCode,
    string? ErrorMessage,
    DateTimeOffset At,
    IReadOnlyDictionary<string, string>? ProviderMetadata = null)
{
    public static DispatchOutcome Sent(
        MessageForDispatch message, string providerMessageId, int attempts, DateTimeOffset at, IReadOnlyDictionary<string, string>? providerMetadata = null) =>
        new(message.Id, message.CreatedAt, MessageStatus.Sent, providerMessageId, attempts, null, null, at, providerMetadata);

    public static DispatchOutcome Failed(MessageForDispatch message, MessageStatus status, int attempts, string code, string reason, DateTimeOffset at) =>
        new(message.Id, message.CreatedAt, status, null, attempts, code, reason, at);
}
