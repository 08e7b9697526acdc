using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Turumba.Channels;
using Turumba.Platform;
using Turumba.Platform.Text;

namespace Turumba.Adapters.Jasmin;

/// <summary>
/// SMPP through a Jasmin gateway's HTTP API (https://docs.jasminsms.com/en/latest/apis/ja-http/):
/// <c>/send</c> form-encoded with the user's credentials, GSM-7 text as <c>content</c> and anything
/// else as UCS-2 <c>hex-content</c> with <c>coding=8</c>; <c>/balance</c> to check credentials.
/// Jasmin does not sign its callbacks, so receipts and incoming messages come to a URL carrying a
/// per-channel secret, checked in constant time. Jasmin retries a callback until it reads <c>ACK/Jasmin</c>.
/// </summary>
[ChannelAdapter(ChannelTypes.Smpp, Provider, IsDefault = true)]
[WebhookAuthentication(TokenParameter, "The channel's secret, part of the dlr-url and MO URL the channel gave the gateway.", inQuery: true)]
internal sealed class JasminAdapter(IHttpClientFactory httpClients, IOptions<JasminOptions> options, TimeProvider clock) : IChannelAdapter
{
    public const string Provider = "jasmin";
    public const string HttpClientName = "jasmin";
    public const string BaseUrl = "base_url";
    public const string Username = "username";
    public const string Password = "password";
    public const string From = "from";
    public const string Coding = "coding";
    public const string TokenParameter = "token";

    // Jasmin's own validation of /send (jasmin/protocols/http/endpoints/send.py).
    private static readonly HashSet<string> Codings = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "13", "14"];
    private static readonly WebhookReply Acknowledged = new("text/plain", "ACK/Jasmin");

    public CredentialRules Credentials { get; } = new([BaseUrl, Username, Password], [Password]) { Check = CheckCredentials };

    public async Task<DispatchResult> SendAsync(DispatchPayload payload, CancellationToken cancellationToken)
    {
        var credentials = payload.Credentials;
        var to = payload.DeliveryAddress.Trim();
        if (to.Length < 2 || !(to[0] == '+' || char.IsAsciiDigit(to[0])) || !to.Skip(1).All(char.IsAsciiDigit))
        {
            throw new InvalidPayloadException($"'{payload.DeliveryAddress}' is not a phone number Jasmin accepts (digits, optionally after a +).", "invalid_recipient");
        }

        var measured = SmsEncoding.Measure(payload.Body);
        var form = new List<KeyValuePair<string, string>>
        {
            new("username", credentials.Require(Username)),
            new("password", credentials.Require(Password)),
            new("to", to),
        };
        if (credentials.Get(From) is { Length: > 0 } from)
        {
            form.Add(new("from", from));
        }

        if (measured.Encoding == SmsEncoding.Gsm7)
        {
            form.Add(new("coding", credentials.Get(Coding) ?? "0"));
            form.Add(new("content", payload.Body));
        }
        else
        {
            form.Add(new("coding", "8"));
            form.Add(new("hex-content", Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(payload.Body))));
        }

        if (options.Value.WebhookBaseUrl is { Length: > 0 } baseUrl && credentials.Get(ChannelCredentials.WebhookSecret) is { Length: > 0 } secret)
        {
            form.Add(new("dlr", "yes"));
            form.Add(new("dlr-url", $"{baseUrl.TrimEnd('/')}/webhooks/{ChannelTypes.Smpp}/{payload.ChannelId}?{TokenParameter}={Uri.EscapeDataString(secret)}"));
            form.Add(new("dlr-level", "3"));
            form.Add(new("dlr-method", "POST"));
        }

        var (status, body) = await CallAsync(credentials, HttpMethod.Post, "/send", new FormUrlEncodedContent(form), cancellationToken);
        if (status != HttpStatusCode.OK || JasminAnswers.MessageId(body) is not { } id)
        {
            throw status == HttpStatusCode.OK
                ? new ProviderConnectionException($"Jasmin answered 200 without a message id: {body.Trim()}")
                : JasminAnswers.Map(status, body, to);
        }

        return new DispatchResult(id, "sent", new Dictionary<string, string>
        {
            ["encoding"] = measured.Encoding,
            ["segments"] = measured.Segments.ToString(CultureInfo.InvariantCulture),
        });
    }

    public async Task<CredentialCheck> VerifyCredentialsAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var balance = await BalanceAsync(credentials, cancellationToken);
        return new CredentialCheck(credentials.Require(Username), balance);
    }

    public async Task<ChannelHealth> CheckHealthAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var balance = await BalanceAsync(credentials, cancellationToken);
            return new ChannelHealth(true, $"balance {balance["balance"]}, sms_count {balance["sms_count"]}", watch.Elapsed);
        }
        catch (ChannelAdapterException ex)
        {
            return new ChannelHealth(false, ex.Message, watch.Elapsed);
        }
    }

    // Jasmin has no registration call: receipts go to the dlr-url of each message, and incoming
    // messages to the HTTP connector its operator configures, so the URL shown carries the secret
    // for them to copy (the operator of the channel is the one who must know it).
    public Task<WebhookRegistration?> RegisterWebhookAsync(ChannelCredentials credentials, Uri webhookUrl, CancellationToken cancellationToken) =>
        Task.FromResult<WebhookRegistration?>(credentials.Get(ChannelCredentials.WebhookSecret) is { } secret
            ? new WebhookRegistration(new Uri($"{webhookUrl}?{TokenParameter}={Uri.EscapeDataString(secret)}"), secret)
            : new WebhookRegistration(webhookUrl, null));

    public bool VerifySignature(WebhookRequest request, ChannelCredentials credentials)
    {
        var expected = credentials.Get(ChannelCredentials.WebhookSecret);
        var query = Uri.TryCreate(request.Url, UriKind.Absolute, out var url) ? QueryHelpers.ParseQuery(url.Query) : [];
        var given = query.TryGetValue(TokenParameter, out var token) ? token.ToString() : null;
        return expected is not null && given is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
    }

    public IReadOnlyList<InboundMessage> ParseInbound(WebhookRequest request) => JasminCallbackParser.ParseInbound(request.Body, clock.GetUtcNow());

    public IReadOnlyList<StatusUpdate> ParseStatusUpdates(WebhookRequest request) => JasminCallbackParser.ParseStatus(request.Body, clock.GetUtcNow());

    public WebhookReply? ReplyTo(WebhookRequest request) => Acknowledged;

    // One Jasmin user is one account: its throughput quota is shared by the channels using it.
    public string? ProviderAccountOf(ChannelCredentials credentials) =>
        credentials.Get(BaseUrl) is { } baseUrl && Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && credentials.Get(Username) is { } user
            ? $"{uri.Authority}/{user}"
            : null;

    private static IEnumerable<CredentialProblem> CheckCredentials(IReadOnlyDictionary<string, string> credentials)
    {
        if (credentials.TryGetValue(BaseUrl, out var baseUrl) && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return new CredentialProblem(BaseUrl, $"credentials.{BaseUrl} must be the absolute http(s) URL of Jasmin's HTTP API, e.g. http://jasmin:1401.");
        }

        foreach (var field in new[] { Username, Password })
        {
            if (credentials.TryGetValue(field, out var value) && value.Length > 16)
            {
                yield return new CredentialProblem(field, $"credentials.{field} may be at most 16 characters (Jasmin's limit).");
            }
        }

        if (credentials.TryGetValue(Coding, out var coding) && !Codings.Contains(coding))
        {
            yield return new CredentialProblem(Coding, $"credentials.{Coding} must be an SMPP data_coding Jasmin accepts: {string.Join(", ", Codings)}.");
        }
    }

    private async Task<Dictionary<string, string>> BalanceAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var query = $"/balance?username={Uri.EscapeDataString(credentials.Require(Username))}&password={Uri.EscapeDataString(credentials.Require(Password))}";
        var (status, body) = await CallAsync(credentials, HttpMethod.Get, query, null, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            // /balance answers errors as a JSON string.
            var reason = body.TrimStart().StartsWith('"') ? JsonSerializer.Deserialize<string>(body) ?? body : body;
            throw JasminAnswers.Map(status, $"Error \"{reason}\"");
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return new Dictionary<string, string>
            {
                ["balance"] = json.RootElement.GetProperty("balance").ToString(),
                ["sms_count"] = json.RootElement.GetProperty("sms_count").ToString(),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ProviderConnectionException($"Jasmin's /balance answered a body that is not its API's: {body.Trim()}");
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> CallAsync(
        ChannelCredentials credentials, HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, credentials.Require(BaseUrl).TrimEnd('/') + pathAndQuery) { Content = content };
        var http = httpClients.CreateClient(HttpClientName);
        http.Timeout = options.Value.Timeout;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderConnectionException($"Jasmin could not be reached: {ex.Message}", inner: ex);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw new ProviderConnectionException("Jasmin did not answer in time.", inner: ex);
        }
    }
}
