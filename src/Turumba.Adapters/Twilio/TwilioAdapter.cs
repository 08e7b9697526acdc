using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Turumba.Channels;
using Turumba.Platform.Text;

namespace Turumba.Adapters.Twilio;

/// <summary>
/// Twilio Programmable Messaging (https://www.twilio.com/docs/messaging/api/message-resource): sends
/// with the Messages resource (form-encoded, basic auth with the account SID and auth token), checks
/// credentials with the Accounts resource, reads signed status callbacks and incoming messages.
/// Twilio has no call to register a webhook: the status callback URL goes with every message, and
/// incoming messages come to the URL configured on the number.
/// </summary>
[ChannelAdapter("sms", "twilio", IsDefault = true)]
[WebhookAuthentication(TwilioSignature.Header, "Base64 HMAC-SHA1 of the full callback URL followed by the sorted form parameters, keyed with the account's auth token.")]
internal sealed class TwilioAdapter(IHttpClientFactory httpClients, IOptions<TwilioOptions> options, TimeProvider clock) : IChannelAdapter
{
    public const string HttpClientName = "twilio";
    public const string AccountSid = "account_sid";
    public const string AuthToken = "auth_token";
    public const string FromNumber = "from_number";
    public const string MessagingServiceSid = "messaging_service_sid";

    /// <summary>The answer Twilio expects to an incoming message that needs no reply (TwiML).</summary>
    private static readonly WebhookReply EmptyTwiml = new("text/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");

    public CredentialRules Credentials { get; } = new([AccountSid, AuthToken], [AuthToken])
    {
        Check = c => CredentialRules.Has(c, FromNumber) || CredentialRules.Has(c, MessagingServiceSid)
            ? []
            : [new CredentialProblem(FromNumber, $"A sms channel needs credentials.{FromNumber} or credentials.{MessagingServiceSid}.")],
    };

    public async Task<DispatchResult> SendAsync(DispatchPayload payload, CancellationToken cancellationToken)
    {
        var credentials = payload.Credentials;
        var sid = credentials.Require(AccountSid);
        var form = new List<KeyValuePair<string, string>> { new("To", payload.DeliveryAddress), new("Body", payload.Body) };
        form.Add(credentials.Get(MessagingServiceSid) is { } service
            ? new("MessagingServiceSid", service)
            : new("From", credentials.Get(FromNumber) ?? throw new InvalidPayloadException($"The channel's credentials have neither '{FromNumber}' nor '{MessagingServiceSid}'.")));
        if (payload.MediaUrl is { } media)
        {
            form.Add(new("MediaUrl", media));
        }

        if (options.Value.WebhookBaseUrl is { Length: > 0 } baseUrl)
        {
            form.Add(new("StatusCallback", $"{baseUrl.TrimEnd('/')}/webhooks/sms/{payload.ChannelId}"));
        }

        var message = await CallAsync<TwilioMessage>(credentials, HttpMethod.Post, $"/2010-04-01/Accounts/{Uri.EscapeDataString(sid)}/Messages.json",
            new FormUrlEncodedContent(form), cancellationToken);
        var measured = SmsEncoding.Measure(payload.Body);
        var metadata = new Dictionary<string, string>
        {
            ["twilio_status"] = message.Status ?? "queued",
            ["encoding"] = measured.Encoding,
            ["segments"] = measured.Segments.ToString(CultureInfo.InvariantCulture),
        };
        if (int.TryParse(message.NumSegments, NumberStyles.None, CultureInfo.InvariantCulture, out var segments) && segments > 0)
        {
            metadata["num_segments"] = segments.ToString(CultureInfo.InvariantCulture);
        }

        return new DispatchResult(message.Sid, "sent", metadata);
    }

    public async Task<CredentialCheck> VerifyCredentialsAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var account = await FetchAccountAsync(credentials, cancellationToken);
        return new CredentialCheck(account.FriendlyName ?? account.Sid, new Dictionary<string, string>
        {
            [AccountSid] = account.Sid,
            ["account_status"] = account.Status ?? string.Empty,
            ["account_type"] = account.Type ?? string.Empty,
        });
    }

    public async Task<ChannelHealth> CheckHealthAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var account = await FetchAccountAsync(credentials, cancellationToken);
            return new ChannelHealth(account.Status is null or "active", $"account {account.Sid} is {account.Status ?? "active"}", watch.Elapsed);
        }
        catch (ChannelAdapterException ex)
        {
            return new ChannelHealth(false, ex.Message, watch.Elapsed);
        }
    }

    public Task<WebhookRegistration?> RegisterWebhookAsync(ChannelCredentials credentials, Uri webhookUrl, CancellationToken cancellationToken) =>
        Task.FromResult<WebhookRegistration?>(new WebhookRegistration(webhookUrl, null));

    public bool VerifySignature(WebhookRequest request, ChannelCredentials credentials) =>
        credentials.Get(AuthToken) is { } token
        && TwilioSignature.IsValid(token, request.Url, TwilioCallbackParser.Parameters(request.Body), request.Header(TwilioSignature.Header));

    public IReadOnlyList<InboundMessage> ParseInbound(WebhookRequest request) => TwilioCallbackParser.ParseInbound(request.Body, clock.GetUtcNow());

    public IReadOnlyList<StatusUpdate> ParseStatusUpdates(WebhookRequest request) => TwilioCallbackParser.ParseStatus(request.Body, clock.GetUtcNow());

    public WebhookReply? ReplyTo(WebhookRequest request) => EmptyTwiml;

    public string? ProviderAccountOf(ChannelCredentials credentials) => credentials.Get(AccountSid);

    private Task<TwilioAccount> FetchAccountAsync(ChannelCredentials credentials, CancellationToken cancellationToken) =>
        CallAsync<TwilioAccount>(credentials, HttpMethod.Get, $"/2010-04-01/Accounts/{Uri.EscapeDataString(credentials.Require(AccountSid))}.json", null, cancellationToken);

    private async Task<T> CallAsync<T>(ChannelCredentials credentials, HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Require(AccountSid)}:{credentials.Require(AuthToken)}"));
        var baseUrl = (credentials.BaseUrlOverride ?? options.Value.BaseUrl).ToString().TrimEnd('/');
        using var request = new HttpRequestMessage(method, baseUrl + path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var http = httpClients.CreateClient(HttpClientName);
        http.Timeout = options.Value.Timeout;
        HttpResponseMessage response;
        string body;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderConnectionException($"Twilio could not be reached: {ex.Message}", inner: ex);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw new ProviderConnectionException("Twilio did not answer in time.", inner: ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return JsonSerializer.Deserialize<T>(body, TwilioJson.Options) ?? throw new JsonException("empty answer");
                }
                catch (JsonException ex)
                {
                    throw new ProviderConnectionException($"Twilio answered {(int)response.StatusCode} with a body that is not what its API returns: {ex.Message}");
                }
            }

            var error = TwilioErrors.Map(response.StatusCode, body, RetryAfter(response));
            throw error;
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
