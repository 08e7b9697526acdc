using System.Globalization;
using System.Text.Json;
using Turumba.Channels;
using Turumba.Platform.Addresses;

namespace Turumba.Adapters.Smtp;

/// <summary>
/// Amazon SES events through SNS: the SNS <c>Message</c> of a notification is SES's JSON
/// (https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html and, for configuration-set
/// event publishing, event-publishing-retrieving-sns-contents.html): <c>notificationType</c> or
/// <c>eventType</c>, the <c>mail</c> object and one object for the event. SES replaces the Message-ID
/// it sends with its own (<c>mail.messageId</c>); the original headers stay in <c>mail.headers</c> and
/// <c>mail.commonHeaders</c>, so the message is found by our <c>X-Turumba-Message-Id</c> header, else by
/// the original Message-ID.
/// </summary>
internal static class SesEvents
{
    public const string Name = "ses";

    /// <summary>
    /// Delivery → delivered; Bounce → failed, Permanent also suppresses (reason bounce), Transient and
    /// Undetermined do not; Complaint → suppressed as a complaint; Reject → failed; Open → read when
    /// <paramref name="opensAsRead"/>; Send, Click, DeliveryDelay and the rest change nothing.
    /// </summary>
    public static IReadOnlyList<StatusUpdate> Parse(SnsMessage notification, string? fromAddress, bool opensAsRead)
    {
        using var json = JsonDocument.Parse(notification.Message);
        var root = json.RootElement;
        var kind = (root.TryGetProperty("eventType", out var e) ? e : root.GetProperty("notificationType")).GetString();
        var mail = root.GetProperty("mail");
        if (ProviderIdOf(mail, fromAddress) is not { } providerId)
        {
            return []; // Not a message of ours.
        }

        var snsAt = DateTimeOffset.Parse(notification.Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var destination = mail.TryGetProperty("destination", out var d) && d.ValueKind == JsonValueKind.Array
            ? d.EnumerateArray().Select(x => x.GetString()).FirstOrDefault()
            : null;
        var id = $"sns:{notification.MessageId}";
        switch (kind)
        {
            case "Delivery":
            {
                var delivery = root.GetProperty("delivery");
                var to = delivery.TryGetProperty("recipients", out var r) ? r.EnumerateArray().Select(x => x.GetString()).FirstOrDefault() : destination;
                return [new StatusUpdate(id, providerId, "delivered", At(delivery, snsAt), RecipientAddress: to)];
            }

            case "Bounce":
            {
                var bounce = root.GetProperty("bounce");
                var type = bounce.GetProperty("bounceType").GetString();
                var permanent = type == "Permanent";
                return bounce.GetProperty("bouncedRecipients").EnumerateArray().Select((recipient, i) =>
                {
                    var address = recipient.GetProperty("emailAddress").GetString();
                    var status = recipient.TryGetProperty("status", out var s) ? s.GetString() : null;
                    var diagnostic = recipient.TryGetProperty("diagnosticCode", out var dc) ? dc.GetString() : null;
                    var subType = bounce.TryGetProperty("bounceSubType", out var st) ? st.GetString() : null;
                    return new StatusUpdate(i == 0 ? id : $"{id}:{i}", providerId, "failed", At(bounce, snsAt), status ?? "bounce",
                        $"SES reported a {type} bounce ({subType}): {diagnostic}", address, permanent ? SmtpReplies.BounceReason : null);
                }).ToList();
            }

            case "Complaint":
            {
                var complaint = root.GetProperty("complaint");
                return complaint.GetProperty("complainedRecipients").EnumerateArray().Select((recipient, i) =>
                    new StatusUpdate(i == 0 ? id : $"{id}:{i}", providerId, "delivered", At(complaint, snsAt),
                        RecipientAddress: recipient.GetProperty("emailAddress").GetString(), SuppressRecipient: "complaint")).ToList();
            }

            case "Reject":
            {
                var reason = root.TryGetProperty("reject", out var reject) && reject.TryGetProperty("reason", out var rr) ? rr.GetString() : null;
                return [new StatusUpdate(id, providerId, "failed", snsAt, "rejected", $"SES rejected the message: {reason}", destination)];
            }

            case "Open" when opensAsRead:
                return [new StatusUpdate(id, providerId, "read", At(root.GetProperty("open"), snsAt), RecipientAddress: destination)];

            default:
                return [];
        }
    }

    private static DateTimeOffset At(JsonElement @event, DateTimeOffset fallback) =>
        @event.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : fallback;

    private static string? ProviderIdOf(JsonElement mail, string? fromAddress)
    {
        if (mail.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Array)
        {
            foreach (var header in headers.EnumerateArray())
            {
                if (string.Equals(header.GetProperty("name").GetString(), EmailHeaders.MessageIdHeader, StringComparison.OrdinalIgnoreCase)
                    && Guid.TryParse(header.GetProperty("value").GetString(), out var ours) && fromAddress is not null)
                {
                    return EmailMime.MessageIdFor(ours, fromAddress);
                }
            }
        }

        return mail.TryGetProperty("commonHeaders", out var common) && common.TryGetProperty("messageId", out var m) && m.GetString() is { Length: > 0 } original
            ? original.Trim().TrimStart('<').TrimEnd('>')
            : null;
    }
}
