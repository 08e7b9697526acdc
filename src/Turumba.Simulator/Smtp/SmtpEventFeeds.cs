using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Turumba.Simulator.Smtp;

/// <summary>
/// The event feeds of the relay's service, per SMTP user: Amazon SES through an SNS topic (an HTTP
/// subscription confirmed by visiting its SubscribeURL, then signed notifications; the signing
/// certificate is the simulator's own, self-signed, served at <c>/_sim/smtp/sns/certificate.pem</c>) or
/// SendGrid's Event Webhook (ECDSA P-256 over timestamp + body; the key's public half at <c>/_sim/smtp</c>).
/// Every message the relay accepts from a user with a feed gets a Delivery / delivered event, or the
/// bounce or complaint set for its recipient.
/// </summary>
public sealed class SmtpEventFeeds : IDisposable
{
    public const string Ses = "ses";
    public const string SendGrid = "sendgrid";
    private const string SendGridHeader = "X-Twilio-Email-Event-Webhook-";

    private readonly RSA _snsKey = RSA.Create(2048);
    private readonly ECDsa _sendGridKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ConcurrentDictionary<string, Feed> _feeds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _outcomes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<SmtpEventPost> _posts = new();
    private readonly Func<string> _baseUrl;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public SmtpEventFeeds(Func<string> baseUrl)
    {
        _baseUrl = baseUrl;
        var request = new CertificateRequest("CN=sns.simulator.turumba.test", _snsKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        SigningCertificatePem = certificate.ExportCertificatePem();
        SendGridPublicKey = Convert.ToBase64String(_sendGridKey.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The topic SES publishes to, for a channel's <c>ses_topic_arn</c>.</summary>
    public string TopicArn { get; } = "arn:aws:sns:us-east-1:000000000000:turumba-simulator-ses";

    public string SigningCertificatePem { get; }

    /// <summary>Where notifications say their certificate is.</summary>
    public string SigningCertUrl => $"{_baseUrl().TrimEnd('/')}/_sim/smtp/sns/certificate.pem";

    /// <summary>The Event Webhook's verification key, for a channel's <c>sendgrid_public_key</c>.</summary>
    public string SendGridPublicKey { get; }

    /// <summary>Where callbacks go; null is plain HTTP (tests route them into the host in-process).</summary>
    public HttpMessageInvoker? CallbackClient { get; set; }

    /// <summary>Every event post made, with the answer it got.</summary>
    public IReadOnlyList<SmtpEventPost> Posts => [.. _posts];

    /// <summary>Whether the SES feed of <paramref name="username"/> has been confirmed by its subscriber.</summary>
    public bool IsConfirmed(string username) => _feeds.TryGetValue(username, out var feed) && feed.Confirmed;

    /// <summary>
    /// Sends <paramref name="username"/>'s events to <paramref name="url"/>: for SES, posts the
    /// SubscriptionConfirmation first (no notification is sent before its SubscribeURL is visited).
    /// </summary>
    public async Task<SmtpEventPost?> SubscribeAsync(string username, string provider, string url, CancellationToken cancellationToken = default)
    {
        if (provider is not (Ses or SendGrid))
        {
            throw new ArgumentException($"provider must be {Ses} or {SendGrid}.", nameof(provider));
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        _feeds[username] = new Feed(provider, url, token, provider == SendGrid);
        if (provider == SendGrid)
        {
            return null;
        }

        var subscribeUrl = $"{_baseUrl().TrimEnd('/')}/_sim/smtp/sns/confirm?Action=ConfirmSubscription&TopicArn={Uri.EscapeDataString(TopicArn)}&Token={token}";
        var body = SnsEnvelope("SubscriptionConfirmation",
            $"You have chosen to subscribe to the topic {TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
            token: token, subscribeUrl: subscribeUrl);
        return await PostAsync(url, body, [new("x-amz-sns-message-type", "SubscriptionConfirmation")], cancellationToken);
    }

    /// <summary>SNS's ConfirmSubscription: the subscriber visited the URL with this token.</summary>
    public bool Confirm(string token)
    {
        foreach (var (user, feed) in _feeds)
        {
            if (feed.Token == token)
            {
                _feeds[user] = feed with { Confirmed = true };
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What the service reports for mail to <paramref name="address"/>: <c>Permanent</c> or <c>Transient</c>
    /// (an SES bounce type; a SendGrid bounce or deferral), or <c>Complaint</c>; by default delivery.
    /// </summary>
    public void SetOutcome(string address, string outcome) => _outcomes[address] = outcome;

    public void Reset()
    {
        _feeds.Clear();
        _outcomes.Clear();
        _posts.Clear();
    }

    /// <summary>
    /// An SNS HTTP message signed by the simulator's key: SignatureVersion 1 (SHA1withRSA) or 2
    /// (SHA256withRSA) over the fields SNS signs, each name and value followed by a newline, names in
    /// byte order. <paramref name="certificateUrl"/> overrides the URL named (tests of refusals).
    /// </summary>
    public string SnsEnvelope(string type, string message, string? subject = null, string? token = null, string? subscribeUrl = null,
        int signatureVersion = 2, string? certificateUrl = null, string? messageId = null)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Message"] = message,
            ["MessageId"] = messageId ?? Guid.NewGuid().ToString(),
            ["Timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["TopicArn"] = TopicArn,
            ["Type"] = type,
        };
        if (type == "Notification")
        {
            if (subject is not null)
            {
                fields["Subject"] = subject;
            }
        }
        else
        {
            fields["Token"] = token!;
            fields["SubscribeURL"] = subscribeUrl!;
        }

        var signed = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            signed.Append(name).Append('\n').Append(value).Append('\n');
        }

        var hash = signatureVersion == 1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var json = new JsonObject();
        foreach (var (name, value) in fields)
        {
            json[name] = value;
        }

        json["SignatureVersion"] = signatureVersion.ToString(CultureInfo.InvariantCulture);
        json["Signature"] = Convert.ToBase64String(_snsKey.SignData(Encoding.UTF8.GetBytes(signed.ToString()), hash, RSASignaturePadding.Pkcs1));
        json["SigningCertURL"] = certificateUrl ?? SigningCertUrl;
        json["UnsubscribeURL"] = $"{_baseUrl().TrimEnd('/')}/_sim/smtp/sns/unsubscribe";
        return json.ToJsonString();
    }

    /// <summary>
    /// The SES event record (event publishing format, <c>eventType</c>) for <paramref name="message"/> to
    /// <paramref name="recipient"/>: Delivery, Bounce (with <paramref name="bounceType"/>), Complaint or Open.
    /// SES keeps the original headers in <c>mail.headers</c> / <c>commonHeaders</c> and gives the message an id of its own.
    /// </summary>
    public static string SesEvent(string eventType, SmtpMessage message, string recipient, string bounceType = "Permanent")
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var record = new JsonObject
        {
            ["eventType"] = eventType,
            ["mail"] = new JsonObject
            {
                ["timestamp"] = message.ReceivedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["messageId"] = $"0100{message.Id:N}-000000",
                ["source"] = message.MailFrom,
                ["destination"] = new JsonArray(message.RcptTo.Select(r => (JsonNode)r!).ToArray()),
                ["headersTruncated"] = false,
                ["headers"] = new JsonArray(message.Headers.Select(h => (JsonNode)new JsonObject { ["name"] = h.Name, ["value"] = h.Value }).ToArray()),
                ["commonHeaders"] = new JsonObject
                {
                    ["from"] = new JsonArray(message.Header("From") ?? message.MailFrom),
                    ["to"] = new JsonArray(message.RcptTo.Select(r => (JsonNode)r!).ToArray()),
                    ["messageId"] = message.MessageId is null ? null : $"<{message.MessageId}>",
                    ["subject"] = message.Subject,
                },
            },
        };
        record[eventType switch { "Delivery" => "delivery", "Bounce" => "bounce", "Complaint" => "complaint", _ => "open" }] = eventType switch
        {
            "Delivery" => new JsonObject
            {
                ["timestamp"] = now, ["processingTimeMillis"] = 512, ["recipients"] = new JsonArray(recipient),
                ["smtpResponse"] = "250 2.6.0 Message received", ["reportingMTA"] = "a8-70.smtp-out.simulator.turumba.test",
            },
            "Bounce" => new JsonObject
            {
                ["bounceType"] = bounceType, ["bounceSubType"] = bounceType == "Permanent" ? "General" : "MailboxFull",
                ["bouncedRecipients"] = new JsonArray(new JsonObject
                {
                    ["emailAddress"] = recipient, ["action"] = "failed", ["status"] = bounceType == "Permanent" ? "5.1.1" : "4.2.2",
                    ["diagnosticCode"] = bounceType == "Permanent" ? "smtp; 550 5.1.1 user unknown" : "smtp; 452 4.2.2 mailbox full",
                }),
                ["timestamp"] = now, ["feedbackId"] = $"0100{Guid.NewGuid():N}-000000", ["reportingMTA"] = "dsn; simulator.turumba.test",
            },
            "Complaint" => new JsonObject
            {
                ["complainedRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = recipient }),
                ["timestamp"] = now, ["feedbackId"] = $"0100{Guid.NewGuid():N}-000000", ["complaintFeedbackType"] = "abuse",
            },
            _ => new JsonObject { ["ipAddress"] = "192.0.2.1", ["timestamp"] = now, ["userAgent"] = "Mozilla/5.0" },
        };
        return record.ToJsonString();
    }

    /// <summary>A SendGrid event for <paramref name="message"/> (<c>smtp-id</c> its Message-ID, plus the unique arguments of its X-SMTPAPI header).</summary>
    public static JsonObject SendGridEvent(string kind, SmtpMessage message, string recipient)
    {
        var e = new JsonObject
        {
            ["email"] = recipient,
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["event"] = kind,
            ["sg_event_id"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)),
            ["sg_message_id"] = $"{message.Id:N}.filter0001",
        };
        if (kind != "open" && message.MessageId is { } id)
        {
            e["smtp-id"] = $"<{id}>"; // Engagement events carry no smtp-id; the unique arguments identify the message.
        }

        if (kind == "bounce")
        {
            e["type"] = "bounce";
            e["status"] = "5.1.1";
            e["reason"] = "550 5.1.1 user unknown";
        }

        if (message.Header("X-SMTPAPI") is { } api && JsonNode.Parse(api)?["unique_args"] is JsonObject args)
        {
            foreach (var (name, value) in args)
            {
                e[name] = value?.GetValue<string>();
            }
        }

        return e;
    }

    /// <summary>Posts a SendGrid event batch signed as SendGrid signs it.</summary>
    public Task<SmtpEventPost> PostSendGridAsync(string url, JsonArray events, CancellationToken cancellationToken = default)
    {
        var body = events.ToJsonString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(_sendGridKey.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        return PostAsync(url, body, [new(SendGridHeader + "Signature", signature), new(SendGridHeader + "Timestamp", timestamp)], cancellationToken);
    }

    /// <summary>Posts an SNS message as SNS does (JSON sent as text/plain, with its type header).</summary>
    public Task<SmtpEventPost> PostSnsAsync(string url, string body, CancellationToken cancellationToken = default) =>
        PostAsync(url, body, [new("x-amz-sns-message-type", JsonNode.Parse(body)?["Type"]?.GetValue<string>() ?? "Notification")], cancellationToken);

    /// <summary>The feed's events for a message the relay accepted; posted in the background, recorded in <see cref="Posts"/>.</summary>
    internal void Relayed(SmtpMessage message)
    {
        if (message.Username is not { } user || !_feeds.TryGetValue(user, out var feed) || !feed.Confirmed)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            foreach (var recipient in message.RcptTo)
            {
                var outcome = _outcomes.GetValueOrDefault(recipient);
                try
                {
                    if (feed.Provider == Ses)
                    {
                        var record = outcome switch
                        {
                            "Permanent" or "Transient" => SesEvent("Bounce", message, recipient, outcome),
                            "Complaint" => SesEvent("Complaint", message, recipient),
                            _ => SesEvent("Delivery", message, recipient),
                        };
                        await PostSnsAsync(feed.Url, SnsEnvelope("Notification", record));
                    }
                    else
                    {
                        var kind = outcome switch { "Permanent" => "bounce", "Transient" => "deferred", "Complaint" => "spamreport", _ => "delivered" };
                        await PostSendGridAsync(feed.Url, [SendGridEvent(kind, message, recipient)]);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                    _posts.Enqueue(new SmtpEventPost(feed.Url, string.Empty, 0, ex.Message));
                }
            }
        });
    }

    public void Dispose()
    {
        _snsKey.Dispose();
        _sendGridKey.Dispose();
        _http.Dispose();
    }

    private async Task<SmtpEventPost> PostAsync(string url, string body, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = CallbackClient is { } client
            ? await client.SendAsync(request, cancellationToken)
            : await _http.SendAsync(request, cancellationToken);
        var post = new SmtpEventPost(url, body, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        _posts.Enqueue(post);
        return post;
    }

    private sealed record Feed(string Provider, string Url, string Token, bool Confirmed);
}

/// <summary>One event post the simulator made and the answer: <see cref="StatusCode"/> 0 when it could not be made.</summary>
public sealed record SmtpEventPost(string Url, string Body, int StatusCode, string Response);
