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
    /// suppressed as an opt-out; deferred, processed, open, click and the rest change nothing.
    /// </summary>
    public static IReadOnlyList<StatusUpdate> Parse(byte[] body)
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
            if (!e.TryGetProperty("smtp-id", out var smtpId) || smtpId.GetString() is not { Length: > 0 } messageId)
            {
                continue; // Not a message of ours (no Message-ID to match).
            }

            var providerId = messageId.Trim().TrimStart('<').TrimEnd('>');
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
