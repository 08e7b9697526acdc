using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Turumba.Channels;

namespace Turumba.Adapters.Meta;

/// <summary>
/// Messenger through the Send API (https://developers.facebook.com/docs/messenger-platform/reference/send-api):
/// messages from one Facebook Page to people by their page-scoped id (PSID), credentials checked by
/// fetching the page, signed webhooks for messages, deliveries and reads. Inside the 24-hour window
/// the person's last message opened a message goes as <c>RESPONSE</c> (or <c>UPDATE</c> when asked);
/// outside it only with the channel's message tag, or not at all.
/// </summary>
[ChannelAdapter("messenger", "meta", IsDefault = true)]
[WebhookAuthentication(MetaSignature.Header, "sha256=<hex HMAC-SHA256 of the raw body>, keyed with the app secret.")]
internal sealed class MessengerAdapter(MetaGraphClient graph, TimeProvider clock) : IChannelAdapter
{
    public const string PageId = "page_id";
    public const string PageAccessToken = "page_access_token";
    public const string AppSecret = "app_secret";

    public CredentialRules Credentials { get; } = new([PageId, PageAccessToken, AppSecret], [PageAccessToken, AppSecret, MetaHandshake.VerifyToken])
    {
        Check = MessengerMessages.Check,
        Generated = [MetaHandshake.VerifyToken],
    };

    public bool UsesCustomerWindow => true;

    /// <summary>Messenger has no templates: outside the window a message goes tagged (still free-form) when the channel has a tag.</summary>
    public WindowedSend? PredictSend(DateTimeOffset? lastInboundAt, bool templateLinked, ChannelCredentials credentials) =>
        WindowOpen(lastInboundAt) || credentials.Get(MessengerMessages.MessageTag) is not null ? WindowedSend.FreeForm : WindowedSend.Fails;

    private bool WindowOpen(DateTimeOffset? lastInboundAt) => lastInboundAt is { } last && clock.GetUtcNow() - last < graph.Options.CustomerServiceWindow;

    public async Task<DispatchResult> SendAsync(DispatchPayload payload, CancellationToken cancellationToken)
    {
        var windowOpen = WindowOpen(payload.LastInboundAt);
        var tag = payload.Credentials.Get(MessengerMessages.MessageTag);
        if (!windowOpen && tag is null)
        {
            throw MessengerErrors.OutsideWindowError(payload.LastInboundAt is null
                ? "The person has never written to this page"
                : $"The person last wrote at {payload.LastInboundAt:u}, more than {graph.Options.CustomerServiceWindow.TotalHours:0} hours ago");
        }

        var envelope = MessengerMessages.Envelope(payload, windowOpen, tag);
        var metadata = new Dictionary<string, string> { ["messenger_messaging_type"] = envelope[MessengerMessages.MessagingType]!.ToString() };
        if (tag is not null && !windowOpen)
        {
            metadata["messenger_tag"] = tag;
        }

        if (payload.MediaUrl is not { } url)
        {
            return new DispatchResult(await PostAsync(payload.Credentials, MessengerMessages.Text(envelope, payload.Body), cancellationToken), "sent", metadata);
        }

        // A Messenger message is text or one attachment: the attachment goes first and is the message;
        // the text follows it. Once the attachment is accepted the message is sent; a failed text is
        // recorded, not retried, which would send the attachment twice.
        var mid = await PostAsync(payload.Credentials, MessengerMessages.Attachment(envelope, url, payload.MediaType), cancellationToken);
        if (payload.Body.Length > 0)
        {
            try
            {
                metadata["messenger_text_message_id"] = await PostAsync(payload.Credentials, MessengerMessages.Text(envelope, payload.Body), cancellationToken);
            }
            catch (ChannelAdapterException ex)
            {
                metadata["messenger_text_error"] = ex.Message;
            }
        }

        return new DispatchResult(mid, "sent", metadata);
    }

    public async Task<CredentialCheck> VerifyCredentialsAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var page = await FetchPageAsync(credentials, cancellationToken);
        var details = new Dictionary<string, string> { [PageId] = Text(page, "id") ?? credentials.Require(PageId) };
        if (Text(page, "name") is { } name)
        {
            details["name"] = name;
        }

        return new CredentialCheck(Text(page, "name") ?? credentials.Require(PageId), details);
    }

    public async Task<ChannelHealth> CheckHealthAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var page = await FetchPageAsync(credentials, cancellationToken);
            return new ChannelHealth(true, $"page {Text(page, "name") ?? credentials.Require(PageId)}", watch.Elapsed);
        }
        catch (ChannelAdapterException ex)
        {
            return new ChannelHealth(false, ex.Message, watch.Elapsed);
        }
    }

    /// <summary>The callback URL and verify token are set in the Meta app's dashboard, not by an API call; the URL is only reported.</summary>
    public Task<WebhookRegistration?> RegisterWebhookAsync(ChannelCredentials credentials, Uri webhookUrl, CancellationToken cancellationToken) =>
        Task.FromResult<WebhookRegistration?>(MetaHandshake.Registration(credentials, webhookUrl));

    public bool VerifySignature(WebhookRequest request, ChannelCredentials credentials) =>
        credentials.Get(AppSecret) is { } secret && MetaSignature.IsValid(secret, request.Body, request.Header(MetaSignature.Header));

    public IReadOnlyList<InboundMessage> ParseInbound(WebhookRequest request) => MessengerWebhookParser.ParseInbound(request.Body);

    public IReadOnlyList<StatusUpdate> ParseStatusUpdates(WebhookRequest request) => MessengerWebhookParser.ParseStatuses(request.Body);

    public WebhookReply? AnswerHandshake(IReadOnlyDictionary<string, string> query, ChannelCredentials credentials) => MetaHandshake.Answer(query, credentials);

    /// <summary>Meta's Send API limits are per page.</summary>
    public string? ProviderAccountOf(ChannelCredentials credentials) => credentials.Get(PageId);

    private async Task<string> PostAsync(ChannelCredentials credentials, JsonObject message, CancellationToken cancellationToken)
    {
        var answer = await graph.CallAsync(credentials, credentials.Require(PageAccessToken), HttpMethod.Post, "me/messages", message,
            MessengerErrors.Map, cancellationToken);
        return Text(answer, "message_id") ?? throw new ProviderConnectionException("Meta accepted the message without a message id.");
    }

    private Task<JsonElement> FetchPageAsync(ChannelCredentials credentials, CancellationToken cancellationToken) =>
        graph.CallAsync(credentials, credentials.Require(PageAccessToken), HttpMethod.Get,
            $"{Uri.EscapeDataString(credentials.Require(PageId))}?fields=id,name", null, MessengerErrors.Map, cancellationToken);

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
