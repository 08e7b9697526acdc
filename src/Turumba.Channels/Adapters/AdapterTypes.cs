namespace Turumba.Channels;

/// <summary>
/// One message to hand to a provider. <see cref="LastInboundAt"/> is when the recipient last wrote
/// to this channel, looked up only for adapters that <see cref="IChannelAdapter.UsesCustomerWindow"/>.
/// </summary>
public sealed record DispatchPayload(
    Guid MessageId,
    Guid ChannelId,
    string ChannelType,
    ChannelCredentials Credentials,
    string DeliveryAddress,
    string Body,
    IReadOnlyDictionary<string, string> Metadata,
    string? MediaUrl = null,
    string? MediaType = null,
    string? ReplyToProviderMessageId = null,
    DateTimeOffset? LastInboundAt = null,
    Guid? GroupMessageId = null);

/// <summary>What the provider said when it accepted a message. Failures are <see cref="ChannelAdapterException"/>s.</summary>
public sealed record DispatchResult(string ProviderMessageId, string Status, IReadOnlyDictionary<string, string> Metadata);

public sealed record ChannelHealth(bool Healthy, string Detail, TimeSpan Latency);

/// <summary>The provider account behind a set of credentials, when they are valid.</summary>
public sealed record CredentialCheck(string AccountName, IReadOnlyDictionary<string, string> Details);

/// <summary>A provider's callback as received: raw body and headers, for parsing and signature checks.</summary>
public sealed record WebhookRequest(string Url, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>A message a contact sent to a channel.</summary>
public sealed record InboundMessage(
    string EventId,
    string ProviderMessageId,
    string SenderAddress,
    string? SenderName,
    string? Body,
    IReadOnlyList<string> MediaFileIds,
    DateTimeOffset ReceivedAt,
    string? ReplyToProviderMessageId,
    string Kind);

/// <summary>
/// A provider's report on a message sent earlier; <see cref="RecipientAddress"/> where the provider names it (Twilio's <c>To</c>);
/// <see cref="SuppressRecipient"/> a suppression reason when the report says the recipient must not be messaged again;
/// <see cref="Watermark"/> set when the report covers every outbound message to <see cref="RecipientAddress"/> on the channel
/// sent at or before it (Messenger's delivery and read watermarks), with no <see cref="ProviderMessageId"/>.
/// </summary>
public sealed record StatusUpdate(
    string EventId,
    string ProviderMessageId,
    string Status,
    DateTimeOffset OccurredAt,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    string? RecipientAddress = null,
    string? SuppressRecipient = null,
    DateTimeOffset? Watermark = null);

/// <summary>A verified one-click unsubscribe: the address to suppress and the message whose link it was.</summary>
public sealed record UnsubscribeRequest(string Address, Guid MessageId);

/// <summary>What a webhook answers the provider when it expects more than a 200 (Twilio: empty TwiML).</summary>
public sealed record WebhookReply(string ContentType, string Body);

/// <summary>What registering a webhook with the provider produced (Telegram: the secret it will send back).</summary>
public sealed record WebhookRegistration(Uri Url, string? Secret);

/// <summary>One account at a provider (<see cref="Provider"/> as adapters are registered, e.g. twilio), shared by the channels using it.</summary>
public sealed record ProviderAccount(string Provider, string Id);

/// <summary>A registered adapter, as <c>GET /v1/channels/adapters</c> lists it.</summary>
public sealed record AdapterDescriptor(string ChannelType, string Provider, bool IsDefault, string Implementation);

/// <summary>A message template as the provider lists it (WhatsApp's WABA): its status says whether it may be sent.</summary>
public sealed record ProviderTemplate(string Name, string Language, string? Category, string Status, string ComponentsJson);

/// <summary>
/// How a message to one recipient would go on a channel with a customer-service window (WhatsApp,
/// Messenger): free-form, as the linked provider template, or not at all (it would fail
/// <c>outside_customer_service_window</c>). For previews and group-send estimates.
/// </summary>
public enum WindowedSend
{
    FreeForm,
    Template,
    Fails,
}
