using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Turumba.Channels;

namespace Turumba.Adapters.Smtp;

/// <summary>
/// SendGrid's Event Webhook (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event):
/// a JSON array of events, signed with ECDSA P-256 / SHA-256 over the
/// <c>X-Twilio-Email-Event-Webhook-Timestamp</c> header followed by the raw body, the signature
/// (DER, base64) in <c>X-Twilio-Email-Event-Webhook-Signature</c>, verified with the public key the
/// channel stores (base64 SubjectPublicKeyInfo, as SendGrid shows it). Events name our Message-ID
/// in <c>smtp-id</c>; each has a stable <c>sg_event_id</c>.
/// </summary>
internal static class SendGridEvents
{
    public const string Name = "sendgrid";
    // SendGrid's own header names (its parent company's name; nothing to do with our SMS provider: ProviderFolderTests knows them).
    private const string HeaderPrefix = "X-Twilio-Email-Event-Webhook-";
    public const string SignatureHeader = HeaderPrefix + "Signature";
    public const string TimestampHeader = HeaderPrefix + "Timestamp";

    /// <summary>
    /// The unique argument our messages carry (in <c>X-SMTPAPI</c>, SendGrid's SMTP API header), which
    /// every event echoes as a field: engagement events such as <c>open</c> carry no <c>smtp-id</c>.
    /// </summary>
    public const string MessageIdArgument = "turumba_message_id";

    /// <summary>The <c>X-SMTPAPI</c> header naming the message in <see cref="MessageIdArgument"/>.</summary>
    public static KeyValuePair<string, string> SmtpApiHeader(Guid messageId) =>
        new("X-SMTPAPI", $$$"""{"unique_args":{"{{{MessageIdArgument}}}":"{{{messageId}}}"}}""");

    /// <summary>Older (or further ahead) than this, a signed body is refused as a replay.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public static bool IsPublicKey(string key)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(key), out _);
            return ecdsa.KeySize == 256;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Whether the signature holds over timestamp + body; the age is checked separately by <see cref="IsFresh"/>.</summary>
    public static bool Verify(string publicKey, string? signature, string? timestamp, byte[] body)
    {
        if (signature is not { Length: > 0 } || timestamp is not { Length: > 0 })
        {
            return false;
        }

        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
            var signed = Encoding.UTF8.GetBytes(timestamp).Concat(body).ToArray();
            return ecdsa.VerifyData(signed, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    public static bool IsFresh(string? timestamp, DateTimeOffset now) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && (now - DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799))).Duration() <= MaxAge;

    /// <summary>
    /// delivered → delivered; bounce → failed (type bounce also suppresses, reason bounce; blocked does
    /// not); dropped → failed; spamreport → suppressed as a complaint; unsubscribe / group_unsubscribe →
    /// suppressed as an opt-out; open → read when <paramref name="opensAsRead"/>; deferred, processed, click
    /// and the rest change nothing. An event without <c>smtp-id</c> is matched by <see cref="MessageIdArgument"/>
    /// and the channel's <paramref name="fromAddress"/> (our Message-ID is made of both).
    /// </summary>
    public static IReadOnlyList<StatusUpdate> Parse(byte[] body, string? fromAddress, bool opensAsRead)
    {
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("A SendGrid event post is a JSON array.");
        }

        var updates = new List<StatusUpdate>();
        foreach (var e in json.RootElement.EnumerateArray())
        {
            var kind = e.GetProperty("event").GetString();
            var eventId = e.TryGetProperty("sg_event_id", out var id) ? id.GetString()! : throw new KeyNotFoundException("sg_event_id");
            string providerId;
            if (e.TryGetProperty("smtp-id", out var smtpId) && smtpId.GetString() is { Length: > 0 } messageId)
            {
                providerId = messageId.Trim().TrimStart('<').TrimEnd('>');
            }
            else if (e.TryGetProperty(MessageIdArgument, out var ours) && Guid.TryParse(ours.GetString(), out var guid) && fromAddress is not null)
            {
                providerId = EmailMime.MessageIdFor(guid, fromAddress);
            }
            else
            {
                continue; // Not a message of ours (nothing to match).
            }

            var at = e.TryGetProperty("timestamp", out var ts) && ts.TryGetInt64(out var unix) ? DateTimeOffset.FromUnixTimeSeconds(unix) : DateTimeOffset.UnixEpoch;
            var email = e.TryGetProperty("email", out var em) ? em.GetString() : null;
            var reason = e.TryGetProperty("reason", out var r) ? r.GetString() : null;
            var status = e.TryGetProperty("status", out var s) ? s.GetString() : null;
            StatusUpdate? update = kind switch
            {
                "delivered" => new(eventId, providerId, "delivered", at, RecipientAddress: email),
                "bounce" => new(eventId, providerId, "failed", at, status ?? "bounce", $"SendGrid reported a bounce: {reason}", email,
                    e.TryGetProperty("type", out var t) && t.GetString() == "blocked" ? null : SmtpReplies.BounceReason),
                "dropped" => new(eventId, providerId, "failed", at, "dropped", $"SendGrid dropped the message: {reason}", email),
                "spamreport" => new(eventId, providerId, "delivered", at, RecipientAddress: email, SuppressRecipient: "complaint"),
                "unsubscribe" or "group_unsubscribe" => new(eventId, providerId, "delivered", at, RecipientAddress: email, SuppressRecipient: "opt_out"),
                "open" when opensAsRead => new(eventId, providerId, "read", at, RecipientAddress: email),
                _ => null,
            };
            if (update is not null)
            {
                updates.Add(update);
            }
        }

        return updates;
    }
}
