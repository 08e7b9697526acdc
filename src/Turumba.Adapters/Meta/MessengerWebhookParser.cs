using System.Globalization;
using System.Text.Json;
using Turumba.Channels;

namespace Turumba.Adapters.Meta;

/// <summary>
/// Messenger webhooks (https://developers.facebook.com/docs/messenger-platform/webhooks):
/// <c>{"object": "page", "entry": [{"id", "time", "messaging": [{"sender", "recipient", "timestamp",
/// "message" | "delivery" | "read"}]}]}</c>. Meta batches: every entry and event is read. Echoes of
/// the page's own messages (<c>message.is_echo</c>) are skipped.
/// </summary>
internal static class MessengerWebhookParser
{
    public static IReadOnlyList<InboundMessage> ParseInbound(byte[] body)
    {
        var messages = new List<InboundMessage>();
        foreach (var (entry, messaging) in Events(body))
        {
            if (!messaging.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
                || message.TryGetProperty("is_echo", out var echo) && echo.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            var mid = Require(message, "mid");
            var media = Array(message, "attachments")
                .Select(a => a.TryGetProperty("payload", out var payload) ? Text(payload, "url") : null)
                .OfType<string>()
                .ToList();
            var kind = Text(message, "text") is not null ? "text" : Array(message, "attachments").Select(a => Text(a, "type")).FirstOrDefault() ?? "unknown";
            var replyTo = message.TryGetProperty("reply_to", out var reply) ? Text(reply, "mid") : null;
            messages.Add(new InboundMessage(mid, mid, Sender(messaging), null, Text(message, "text"), media, Timestamp(messaging, entry), replyTo, kind));
        }

        return messages;
    }

    /// <summary>
    /// A delivery reports each listed message and, by its watermark, every earlier one to the person;
    /// a read reports by its watermark only. Event ids are the mid or the (person, kind, watermark), so a redelivery is applied once.
    /// </summary>
    public static IReadOnlyList<StatusUpdate> ParseStatuses(byte[] body)
    {
        var updates = new List<StatusUpdate>();
        foreach (var (entry, messaging) in Events(body))
        {
            foreach (var (field, status) in new[] { ("delivery", "delivered"), ("read", "read") })
            {
                if (!messaging.TryGetProperty(field, out var report) || report.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var psid = Sender(messaging);
                var watermark = Milliseconds(report, "watermark") ?? throw new FormatException($"a {field} without a watermark");
                var at = Milliseconds(messaging, "timestamp") ?? Milliseconds(entry, "time") ?? watermark;
                foreach (var mid in Array(report, "mids").Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!))
                {
                    updates.Add(new StatusUpdate($"{mid}:{status}", mid, status, at, RecipientAddress: psid));
                }

                updates.Add(new StatusUpdate(
                    $"{psid}:{status}:{watermark.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}", string.Empty, status, at,
                    RecipientAddress: psid, Watermark: watermark));
            }
        }

        return updates;
    }

    private static List<(JsonElement Entry, JsonElement Messaging)> Events(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || Text(root, "object") != "page")
        {
            throw new FormatException("not a page notification");
        }

        var events = new List<(JsonElement, JsonElement)>();
        foreach (var entry in Array(root, "entry"))
        {
            foreach (var messaging in Array(entry, "messaging"))
            {
                events.Add((entry.Clone(), messaging.Clone()));
            }
        }

        return events;
    }

    private static string Sender(JsonElement messaging) =>
        messaging.TryGetProperty("sender", out var sender) && Text(sender, "id") is { } id ? id : throw new KeyNotFoundException("'sender.id' is missing");

    private static DateTimeOffset Timestamp(JsonElement messaging, JsonElement entry) =>
        Milliseconds(messaging, "timestamp") ?? Milliseconds(entry, "time") ?? throw new FormatException("a message without a timestamp");

    /// <summary>Messenger's times are Unix milliseconds.</summary>
    private static DateTimeOffset? Milliseconds(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : [];

    private static string Require(JsonElement element, string name) =>
        Text(element, name) ?? throw new KeyNotFoundException($"'{name}' is missing");

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
