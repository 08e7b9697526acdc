using System.Diagnostics;
using System.Globalization;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Turumba.Channels;
using Turumba.Platform;

namespace Turumba.Adapters.Smtp;

/// <summary>
/// Email through an SMTP relay (RFC 5321) with MailKit: pooled authenticated sessions per channel
/// (<see cref="SmtpConnectionPools"/>), MIME built by <see cref="EmailMime"/>, the relay's reply
/// classified by <see cref="SmtpReplies"/>. The provider id of a message is the Message-ID we
/// generate; delivery events come from the relay's service (<c>events_provider</c>) to
/// <c>/webhooks/email/{channel_id}</c>.
/// </summary>
[ChannelAdapter(ChannelTypes.Email, Provider, IsDefault = true)]
[WebhookAuthentication(SendGridEvents.SignatureHeader, "With events_provider sendgrid: base64 ECDSA P-256 signature of the timestamp header followed by the raw body, checked with the channel's verification key; timestamps older than 5 minutes are refused.")]
internal sealed class SmtpAdapter : IChannelAdapter
{
    public const string Provider = "smtp";
    public const string Host = "host";
    public const string Port = "port";
    public const string Security = "security";
    public const string Username = "username";
    public const string Password = "password";
    public const string FromAddress = "from_address";
    public const string FromName = "from_name";
    public const string ReplyTo = "reply_to";

    /// <summary>Optional: the SHA-256 of the relay's certificate (hex), trusted instead of a CA chain (self-signed relays).</summary>
    public const string CertificateSha256 = "tls_certificate_sha256";

    /// <summary>Optional: the relay's service that posts delivery events (<c>sendgrid</c> or <c>ses</c>).</summary>
    public const string EventsProvider = "events_provider";

    /// <summary>With <c>events_provider: ses</c>: the ARN of the SNS topic SES publishes the channel's events to.</summary>
    public const string SesTopicArn = "ses_topic_arn";

    /// <summary>Optional, <c>true</c> or <c>false</c> (default): whether an open event records the message as <c>read</c>.</summary>
    public const string OpensAsRead = "email_opens_as_read";

    /// <summary>With <c>events_provider: sendgrid</c>: the Event Webhook's verification key (base64).</summary>
    public const string SendGridPublicKey = "sendgrid_public_key";

    private static readonly HashSet<string> Securities = [SmtpEndpoint.StartTls, SmtpEndpoint.Ssl, SmtpEndpoint.None];

    private readonly SmtpConnectionPools _pools;
    private readonly IOptions<SmtpOptions> _options;
    private readonly TimeProvider _clock;
    private readonly SnsHosts _sns;

    public SmtpAdapter(SmtpConnectionPools pools, IOptions<SmtpOptions> options, TimeProvider clock, SnsHosts sns)
    {
        _pools = pools;
        _options = options;
        _clock = clock;
        _sns = sns;
        Credentials = new([Host, Port, Username, Password, FromAddress], [Password]) { Check = CheckCredentials };
    }

    public CredentialRules Credentials { get; }

    public async Task<DispatchResult> SendAsync(DispatchPayload payload, CancellationToken cancellationToken)
    {
        var endpoint = SmtpEndpoint.Of(payload.Credentials);
        var messageId = EmailMime.MessageIdFor(payload.MessageId, payload.Credentials.Require(FromAddress));
        var extra = UnsubscribeHeaders(payload);
        if (payload.Credentials.Get(EventsProvider) == SendGridEvents.Name)
        {
            extra = [.. extra, SendGridEvents.SmtpApiHeader(payload.MessageId)];
        }

        var message = EmailMime.Build(payload, messageId, _clock.GetUtcNow(), extra);
        try
        {
            await _pools.UseAsync(payload.ChannelId, endpoint, client => client.SendAsync(message, cancellationToken), cancellationToken);
        }
        catch (SmtpCommandException ex)
        {
            throw SmtpReplies.Map(ex, payload.DeliveryAddress, _options.Value.RateLimitPause);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or MailKit.ServiceNotConnectedException or TimeoutException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ProviderConnectionException($"Connection: the session with {endpoint.Host}:{endpoint.Port} broke off ({ex.Message}).", "connect", ex);
        }
        catch (MailKit.ServiceNotAuthenticatedException ex)
        {
            throw new ProviderAuthException($"Authentication: {endpoint.Host} requires authentication ({ex.Message}).", "auth");
        }

        return new DispatchResult(messageId, "sent", new Dictionary<string, string>
        {
            ["message_id_header"] = $"<{messageId}>",
            ["size_bytes"] = Size(message).ToString(CultureInfo.InvariantCulture),
        });
    }

    public async Task<CredentialCheck> VerifyCredentialsAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var endpoint = SmtpEndpoint.Of(credentials);
        using var client = await SmtpConnector.ConnectAsync(endpoint, _options.Value.Timeout, cancellationToken);
        var details = new Dictionary<string, string>
        {
            ["host"] = $"{endpoint.Host}:{endpoint.Port}",
            ["tls"] = client.IsSecure ? "yes" : "no",
            ["capabilities"] = client.Capabilities.ToString(),
        };
        await client.DisconnectAsync(true, cancellationToken);
        return new CredentialCheck(endpoint.Username, details);
    }

    public async Task<ChannelHealth> CheckHealthAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var check = await VerifyCredentialsAsync(credentials, cancellationToken);
            return new ChannelHealth(true, $"connected to {check.Details["host"]}, TLS {check.Details["tls"]}, authenticated", watch.Elapsed);
        }
        catch (ChannelAdapterException ex)
        {
            return new ChannelHealth(false, ex.Message, watch.Elapsed);
        }
    }

    public Task<WebhookRegistration?> RegisterWebhookAsync(ChannelCredentials credentials, Uri webhookUrl, CancellationToken cancellationToken) =>
        Task.FromResult<WebhookRegistration?>(new WebhookRegistration(webhookUrl, credentials.Get(ChannelCredentials.WebhookSecret)));

    // Delivery events come from the relay's service named in events_provider; without one, every post is refused.
    public bool VerifySignature(WebhookRequest request, ChannelCredentials credentials) =>
        credentials.Get(EventsProvider) == SendGridEvents.Name && credentials.Get(SendGridPublicKey) is { } key
        && SendGridEvents.IsFresh(request.Header(SendGridEvents.TimestampHeader), _clock.GetUtcNow())
        && SendGridEvents.Verify(key, request.Header(SendGridEvents.SignatureHeader), request.Header(SendGridEvents.TimestampHeader), request.Body);

    /// <summary>
    /// With <c>events_provider: ses</c>: an SNS message for the channel's topic, its certificate URL on an
    /// SNS host of the topic's region (or a configured one), its signature (version 1 or 2) holding under that certificate.
    /// </summary>
    public async Task<bool> VerifySignatureAsync(WebhookRequest request, ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        if (credentials.Get(EventsProvider) != SesEvents.Name)
        {
            return VerifySignature(request, credentials);
        }

        return credentials.Get(SesTopicArn) is { } topic
            && SnsMessage.TryParse(request.Body) is { } sns
            && string.Equals(sns.TopicArn, topic, StringComparison.Ordinal)
            && _sns.IsAllowed(sns.SigningCertUrl, topic)
            && await _sns.CertificateAsync(sns.SigningCertUrl, cancellationToken) is { } certificate
            && sns.IsSignedBy(certificate);
    }

    /// <summary>SNS's subscription confirmation: visit SubscribeURL when it is on an SNS host (the topic was checked with the signature).</summary>
    public async Task<WebhookReply?> AnswerControlMessageAsync(WebhookRequest request, ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        if (credentials.Get(EventsProvider) != SesEvents.Name || SnsMessage.TryParse(request.Body) is not { } sns || sns.Type == SnsMessage.Notification)
        {
            return null;
        }

        if (sns.Type == SnsMessage.UnsubscribeConfirmation)
        {
            return new WebhookReply("application/json", """{"data":{"subscription":"unsubscribed"}}""");
        }

        if (!_sns.IsAllowed(sns.SubscribeUrl!, sns.TopicArn))
        {
            throw new InvalidPayloadException("The SubscribeURL is not on an SNS host of the topic's region; the subscription was not confirmed.", "sns_host");
        }

        await _sns.ConfirmAsync(sns.SubscribeUrl!, cancellationToken);
        return new WebhookReply("application/json", """{"data":{"subscription":"confirmed"}}""");
    }

    public IReadOnlyList<InboundMessage> ParseInbound(WebhookRequest request) => [];

    public IReadOnlyList<StatusUpdate> ParseStatusUpdates(WebhookRequest request) => SendGridEvents.Parse(request.Body, null, false);

    public IReadOnlyList<StatusUpdate> ParseStatusUpdates(WebhookRequest request, ChannelCredentials credentials)
    {
        var opensAsRead = credentials.Get(OpensAsRead) == "true";
        if (credentials.Get(EventsProvider) != SesEvents.Name)
        {
            return SendGridEvents.Parse(request.Body, credentials.Get(FromAddress), opensAsRead);
        }

        var sns = SnsMessage.TryParse(request.Body) ?? throw new FormatException("Not an SNS message.");
        return sns.Type == SnsMessage.Notification ? SesEvents.Parse(sns, credentials.Get(FromAddress), opensAsRead) : [];
    }

    public UnsubscribeRequest? ReadUnsubscribeToken(string token, ChannelCredentials credentials) =>
        UnsubscribeToken.Read(token, credentials.Get(ChannelCredentials.WebhookSecret));

    /// <summary>
    /// Bulk (group) email carries one-click unsubscribe (RFC 8058 §3.1: both headers; RFC 2369 the
    /// angle brackets), when there is a public base URL for the link and a channel key to sign it.
    /// </summary>
    private IReadOnlyList<KeyValuePair<string, string>> UnsubscribeHeaders(DispatchPayload payload) =>
        payload.GroupMessageId is not null && _options.Value.WebhookBaseUrl is { Length: > 0 } baseUrl
            && payload.Credentials.Get(ChannelCredentials.WebhookSecret) is { } key
            ? [
                new("List-Unsubscribe", $"<{UnsubscribeToken.Url(baseUrl, payload.ChannelId, UnsubscribeToken.Create(payload.MessageId, payload.DeliveryAddress.Trim().ToLowerInvariant(), key))}>"),
                new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ]
            : [];

    // One relay login is one account: its sending limits are shared by the channels using it.
    public string? ProviderAccountOf(ChannelCredentials credentials) =>
        credentials.Get(Host) is { } host && credentials.Get(Username) is { } user ? $"{host.Trim().ToLowerInvariant()}/{user}" : null;

    private static long Size(MimeMessage message)
    {
        using var counter = new MimeKit.IO.MeasuringStream();
        message.WriteTo(counter);
        return counter.Length;
    }

    private IEnumerable<CredentialProblem> CheckCredentials(IReadOnlyDictionary<string, string> credentials)
    {
        if (credentials.TryGetValue(Port, out var port) && !(int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536))
        {
            yield return new CredentialProblem(Port, $"credentials.{Port} must be a TCP port number (1-65535), e.g. 587.");
        }

        var security = credentials.GetValueOrDefault(Security) ?? SmtpEndpoint.StartTls;
        if (!Securities.Contains(security))
        {
            yield return new CredentialProblem(Security, $"credentials.{Security} must be one of {string.Join(", ", Securities)}.");
        }
        else if (security == SmtpEndpoint.None && credentials.TryGetValue(Host, out var host)
            && !SmtpEndpoint.IsLoopback(host.Trim()) && !_options.Value.InsecureHosts.Contains(host.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            yield return new CredentialProblem(Security,
                $"credentials.{Security} none (no TLS: the password would cross the network in clear) is allowed only for a loopback host or one listed in {SmtpOptions.Section}:InsecureHosts.");
        }

        foreach (var field in new[] { FromAddress, ReplyTo })
        {
            if (credentials.TryGetValue(field, out var address) && address.Length > 0
                && !(MailboxAddress.TryParse(address, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal)))
            {
                yield return new CredentialProblem(field, $"credentials.{field} must be an email address.");
            }
        }

        if (credentials.TryGetValue(FromName, out var name) && Platform.Addresses.EmailHeaders.IsUnsafeValue(name))
        {
            yield return new CredentialProblem(FromName, $"credentials.{FromName} must not contain line breaks.");
        }

        if (credentials.TryGetValue(EventsProvider, out var events) && events.Length > 0)
        {
            if (events is not (SendGridEvents.Name or SesEvents.Name))
            {
                yield return new CredentialProblem(EventsProvider, $"credentials.{EventsProvider} must be {SendGridEvents.Name} or {SesEvents.Name}.");
            }
            else if (events == SendGridEvents.Name && !(credentials.TryGetValue(SendGridPublicKey, out var key) && SendGridEvents.IsPublicKey(key)))
            {
                yield return new CredentialProblem(SendGridPublicKey, $"credentials.{SendGridPublicKey} must be the Event Webhook's verification key (base64 P-256 public key).");
            }
            else if (events == SesEvents.Name && !(credentials.TryGetValue(SesTopicArn, out var arn) && SnsMessage.RegionOf(arn) is not null))
            {
                yield return new CredentialProblem(SesTopicArn, $"credentials.{SesTopicArn} must be the ARN of the SNS topic SES publishes to (arn:aws:sns:<region>:<account>:<topic>).");
            }
        }

        if (credentials.TryGetValue(OpensAsRead, out var opens) && opens is not ("true" or "false"))
        {
            yield return new CredentialProblem(OpensAsRead, $"credentials.{OpensAsRead} must be true or false.");
        }

        if (credentials.TryGetValue(CertificateSha256, out var pin) && pin.Length > 0
            && !(pin.Replace(":", string.Empty, StringComparison.Ordinal) is { Length: 64 } hex && hex.All(char.IsAsciiHexDigit)))
        {
            yield return new CredentialProblem(CertificateSha256, $"credentials.{CertificateSha256} must be the certificate's SHA-256 in hex (64 digits, colons allowed).");
        }
    }
}
