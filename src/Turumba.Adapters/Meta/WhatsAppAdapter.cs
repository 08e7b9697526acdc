using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Turumba.Channels;

namespace Turumba.Adapters.Meta;

/// <summary>
/// The WhatsApp Cloud API (https://developers.facebook.com/docs/whatsapp/cloud-api): messages from
/// one business phone number, credentials checked by fetching that number, signed webhooks for
/// statuses and replies. Free-form messages go only inside the 24-hour customer-service window the
/// contact's last message opened; outside it the linked template goes instead, or nothing does.
/// </summary>
[ChannelAdapter("whatsapp", "meta", IsDefault = true)]
[WebhookAuthentication(MetaSignature.Header, "sha256=<hex HMAC-SHA256 of the raw body>, keyed with the app secret.")]
internal sealed class WhatsAppAdapter(MetaGraphClient graph, TimeProvider clock) : IChannelAdapter
{
    public const string PhoneNumberId = "phone_number_id";
    public const string AccessToken = "access_token";
    public const string AppSecret = "app_secret";
    public const string WabaId = "waba_id";

    /// <summary>A WABA has at most a few thousand templates; a paging loop that does not end is Meta's or our bug.</summary>
    private const int MaxTemplatePages = 100;

    public CredentialRules Credentials { get; } = new([PhoneNumberId, AccessToken, AppSecret], [AccessToken, AppSecret, MetaHandshake.VerifyToken])
    {
        Generated = [MetaHandshake.VerifyToken],
    };

    public bool UsesCustomerWindow => true;

    public WindowedSend? PredictSend(DateTimeOffset? lastInboundAt, bool templateLinked, ChannelCredentials credentials) =>
        WindowOpen(lastInboundAt) ? WindowedSend.FreeForm : templateLinked ? WindowedSend.Template : WindowedSend.Fails;

    public async Task<DispatchResult> SendAsync(DispatchPayload payload, CancellationToken cancellationToken)
    {
        var windowOpen = WindowOpen(payload.LastInboundAt);
        if (!windowOpen && !WhatsAppMessages.HasTemplate(payload))
        {
            throw WhatsAppErrors.OutsideWindowError(payload.LastInboundAt is null
                ? "The contact has never written to this WhatsApp number"
                : $"The contact last wrote at {payload.LastInboundAt:u}, more than {graph.Options.CustomerServiceWindow.TotalHours:0} hours ago");
        }

        if (!windowOpen)
        {
            return await PostAsync(payload, WhatsAppMessages.Template(payload), "template", cancellationToken);
        }

        try
        {
            return await PostAsync(payload, WhatsAppMessages.FreeForm(payload), "free_form", cancellationToken);
        }
        catch (InvalidPayloadException ex) when (ex.ProviderCode == WhatsAppErrors.OutsideWindow && WhatsAppMessages.HasTemplate(payload))
        {
            // Meta's clock says the window has closed where ours did not: the template may still go.
            return await PostAsync(payload, WhatsAppMessages.Template(payload), "template", cancellationToken);
        }
    }

    private bool WindowOpen(DateTimeOffset? lastInboundAt) => lastInboundAt is { } last && clock.GetUtcNow() - last < graph.Options.CustomerServiceWindow;

    public async Task<CredentialCheck> VerifyCredentialsAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var number = await FetchNumberAsync(credentials, cancellationToken);
        var details = new Dictionary<string, string> { [PhoneNumberId] = Text(number, "id") ?? credentials.Require(PhoneNumberId) };
        foreach (var field in new[] { "display_phone_number", "quality_rating", "verified_name" })
        {
            if (Text(number, field) is { } value)
            {
                details[field] = value;
            }
        }

        return new CredentialCheck(Text(number, "verified_name") ?? Text(number, "display_phone_number") ?? credentials.Require(PhoneNumberId), details);
    }

    public async Task<ChannelHealth> CheckHealthAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var number = await FetchNumberAsync(credentials, cancellationToken);
            return new ChannelHealth(true, $"phone number {Text(number, "display_phone_number") ?? credentials.Require(PhoneNumberId)}, quality {Text(number, "quality_rating") ?? "unknown"}", watch.Elapsed);
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

    public IReadOnlyList<InboundMessage> ParseInbound(WebhookRequest request) => WhatsAppWebhookParser.ParseInbound(request.Body);

    public IReadOnlyList<StatusUpdate> ParseStatusUpdates(WebhookRequest request) => WhatsAppWebhookParser.ParseStatuses(request.Body);

    public WebhookReply? AnswerHandshake(IReadOnlyDictionary<string, string> query, ChannelCredentials credentials) => MetaHandshake.Answer(query, credentials);

    /// <summary>The WhatsApp Business Account several numbers may share; Meta's throughput limits are per number, so the number it is.</summary>
    public string? ProviderAccountOf(ChannelCredentials credentials) => credentials.Get(PhoneNumberId);

    /// <summary>
    /// <c>GET /{waba_id}/message_templates</c> (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates),
    /// page by page with the <c>after</c> cursor while Meta gives a <c>next</c> page. Null without a <c>waba_id</c>.
    /// </summary>
    public async Task<IReadOnlyList<ProviderTemplate>?> ListTemplatesAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        if (credentials.Get(WabaId) is not { } waba)
        {
            return null;
        }

        var templates = new List<ProviderTemplate>();
        string? after = null;
        for (var page = 0; page < MaxTemplatePages; page++)
        {
            var path = $"{Uri.EscapeDataString(waba)}/message_templates?fields=name,language,category,status,components&limit=100"
                + (after is null ? string.Empty : "&after=" + Uri.EscapeDataString(after));
            var answer = await graph.CallAsync(credentials, credentials.Require(AccessToken), HttpMethod.Get, path, null, WhatsAppErrors.Map, cancellationToken);
            if (answer.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                foreach (var template in data.EnumerateArray())
                {
                    if (Text(template, "name") is { } name && Text(template, "language") is { } language && Text(template, "status") is { } status)
                    {
                        templates.Add(new ProviderTemplate(name, language, Text(template, "category"), status,
                            template.TryGetProperty("components", out var components) ? components.GetRawText() : "[]"));
                    }
                }
            }

            after = answer.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out _)
                && paging.TryGetProperty("cursors", out var cursors) ? Text(cursors, "after") : null;
            if (after is null)
            {
                return templates;
            }
        }

        throw new ProviderConnectionException($"The WhatsApp Business Account lists more than {MaxTemplatePages} pages of templates.");
    }

    private async Task<DispatchResult> PostAsync(DispatchPayload payload, JsonObject message, string kind, CancellationToken cancellationToken)
    {
        var credentials = payload.Credentials;
        var answer = await graph.CallAsync(credentials, credentials.Require(AccessToken), HttpMethod.Post,
            $"{Uri.EscapeDataString(credentials.Require(PhoneNumberId))}/messages", message, WhatsAppErrors.Map, cancellationToken);
        var wamid = answer.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
            ? Text(messages[0], "id")
            : null;
        if (wamid is null)
        {
            throw new ProviderConnectionException("Meta accepted the message without a message id.");
        }

        var metadata = new Dictionary<string, string> { ["whatsapp_message_kind"] = kind };
        if (answer.TryGetProperty("contacts", out var contacts) && contacts.ValueKind == JsonValueKind.Array && contacts.GetArrayLength() > 0
            && Text(contacts[0], "wa_id") is { } waId)
        {
            metadata["wa_id"] = waId;
        }

        return new DispatchResult(wamid, "sent", metadata);
    }

    private Task<JsonElement> FetchNumberAsync(ChannelCredentials credentials, CancellationToken cancellationToken) =>
        graph.CallAsync(credentials, credentials.Require(AccessToken), HttpMethod.Get,
            $"{Uri.EscapeDataString(credentials.Require(PhoneNumberId))}?fields=id,display_phone_number,verified_name,quality_rating", null,
            WhatsAppErrors.Map, cancellationToken);

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
