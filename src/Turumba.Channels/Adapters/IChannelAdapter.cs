namespace Turumba.Channels;

/// <summary>
/// One provider behind one channel type. Implementations are stateless singletons marked with
/// <see cref="ChannelAdapterAttribute"/>; failures are <see cref="ChannelAdapterException"/>s.
/// </summary>
public interface IChannelAdapter
{
    /// <summary>The credential fields this provider needs and which of them are secret; checked on create and update.</summary>
    CredentialRules Credentials { get; }

    Task<DispatchResult> SendAsync(DispatchPayload payload, CancellationToken cancellationToken);

    /// <summary>Checks the credentials with the provider; throws <see cref="ProviderAuthException"/> when refused.</summary>
    Task<CredentialCheck> VerifyCredentialsAsync(ChannelCredentials credentials, CancellationToken cancellationToken);

    Task<ChannelHealth> CheckHealthAsync(ChannelCredentials credentials, CancellationToken cancellationToken);

    /// <summary>Registers <paramref name="webhookUrl"/> with the provider where it has such a call; null where it does not.</summary>
    Task<WebhookRegistration?> RegisterWebhookAsync(ChannelCredentials credentials, Uri webhookUrl, CancellationToken cancellationToken);

    /// <summary>Whether the callback really comes from the provider (constant-time comparisons only).</summary>
    bool VerifySignature(WebhookRequest request, ChannelCredentials credentials);

    /// <summary>
    /// The signature check where it needs more than the request: Amazon SNS names the certificate that
    /// signed it, fetched (and cached) by the adapter. The endpoint calls this; the default is <see cref="VerifySignature"/>.
    /// </summary>
    Task<bool> VerifySignatureAsync(WebhookRequest request, ChannelCredentials credentials, CancellationToken cancellationToken) =>
        Task.FromResult(VerifySignature(request, credentials));

    /// <summary>
    /// A verified callback that is the provider's subscription control message rather than events (SNS's
    /// <c>SubscriptionConfirmation</c>): the adapter acts on it and answers; nothing is parsed or published.
    /// Null (the default) for event posts. Throws <see cref="InvalidPayloadException"/> to refuse it (403, nothing done)
    /// and <see cref="ProviderConnectionException"/> when the provider could not be reached (503: the provider retries).
    /// </summary>
    Task<WebhookReply?> AnswerControlMessageAsync(WebhookRequest request, ChannelCredentials credentials, CancellationToken cancellationToken) =>
        Task.FromResult<WebhookReply?>(null);

    IReadOnlyList<InboundMessage> ParseInbound(WebhookRequest request);

    IReadOnlyList<StatusUpdate> ParseStatusUpdates(WebhookRequest request);

    /// <summary>Status updates where reading them depends on the channel's settings (email: opens as read); the default ignores the credentials.</summary>
    IReadOnlyList<StatusUpdate> ParseStatusUpdates(WebhookRequest request, ChannelCredentials credentials) => ParseStatusUpdates(request);

    /// <summary>The body to answer an accepted webhook with, where the provider expects one; null answers the usual JSON.</summary>
    WebhookReply? ReplyTo(WebhookRequest request) => null;

    /// <summary>
    /// The provider account the credentials belong to, which several channels may share (one Twilio
    /// account_sid behind several numbers); per-account rate limits are kept under it. Null where the
    /// provider has no such notion. Never a secret: it becomes part of a Redis key.
    /// </summary>
    string? ProviderAccountOf(ChannelCredentials credentials) => null;

    /// <summary>
    /// Answers a provider's subscription handshake (<c>GET</c> on the webhook URL, Meta's
    /// <c>hub.challenge</c>) from the query string; null refuses it (403). Providers without one keep the default.
    /// </summary>
    WebhookReply? AnswerHandshake(IReadOnlyDictionary<string, string> query, ChannelCredentials credentials) => null;

    /// <summary>
    /// Whether free-form sends need the recipient's last inbound time (<see cref="DispatchPayload.LastInboundAt"/>):
    /// channels with a customer-service window (WhatsApp, Messenger). Others skip the lookup.
    /// </summary>
    bool UsesCustomerWindow => false;

    /// <summary>
    /// For adapters that <see cref="UsesCustomerWindow"/>: how a message to a recipient who last wrote at
    /// <paramref name="lastInboundAt"/> would go if sent now, decided as <see cref="SendAsync"/> decides;
    /// <paramref name="templateLinked"/> says the message would carry an approved provider template. Null
    /// (the default) where the provider has no window: every message goes as it is.
    /// </summary>
    WindowedSend? PredictSend(DateTimeOffset? lastInboundAt, bool templateLinked, ChannelCredentials credentials) => null;

    /// <summary>The provider's message templates (every page of them); null where the provider keeps none (the default).</summary>
    Task<IReadOnlyList<ProviderTemplate>?> ListTemplatesAsync(ChannelCredentials credentials, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProviderTemplate>?>(null);

    /// <summary>
    /// The address and message an unsubscribe link's <paramref name="token"/> names, when the adapter
    /// put such links in its messages (email's List-Unsubscribe) and the token's signature holds; null otherwise (400).
    /// </summary>
    UnsubscribeRequest? ReadUnsubscribeToken(string token, ChannelCredentials credentials) => null;
}

/// <summary>Marks an <see cref="IChannelAdapter"/> for discovery at start-up.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ChannelAdapterAttribute(string channelType, string provider) : Attribute
{
    public string ChannelType { get; } = channelType;

    public string Provider { get; } = provider;

    /// <summary>
    /// The adapter used when a channel names no provider. A channel naming a provider without an
    /// adapter gets none (its messages fail with <c>adapter_not_found</c>): another provider's
    /// credentials must never go to the default provider's API.
    /// </summary>
    public bool IsDefault { get; init; }
}

/// <summary>
/// How an adapter's webhooks prove they come from its provider (a signature header, a token in the
/// query), for the API description of <c>/webhooks/{channelType}/{channelId}</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class WebhookAuthenticationAttribute(string name, string description, bool inQuery = false) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    /// <summary>A query parameter rather than a header.</summary>
    public bool InQuery { get; } = inQuery;
}
