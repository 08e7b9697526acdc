using System.Globalization;
using System.Text.Json;
using Turumba.Channels;

namespace Turumba.Adapters.Meta;

/// <summary>
/// WhatsApp webhooks (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components):
/// <c>{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value":
/// {"metadata", "contacts", "messages", "statuses"}}]}]}</c>. Meta batches: every entry and change is read.
/// </summary>
internal static class WhatsAppWebhookParser
{
    private static readonly Dictionary<string, string> Statuses = new(StringComparer.Ordinal)
    {
        ["sent"] = "sent",
        ["delivered"] = "delivered",
        ["read"] = "read",
        ["failed"] = "failed",
    };

    public static IReadOnlyList<StatusUpdate> ParseStatuses(byte[] body)
    {
        var updates = new List<StatusUpdate>();
        foreach (var value in Values(body))
        {
            foreach (var status in Array(value, "statuses"))
            {
                var id = Require(status, "id");
                var given = Require(status, "status");
                if (!Statuses.TryGetValue(given, out var ours))
                {
                    // "deleted", "warning": no step of a message's delivery.
                    continue;
                }

                string? code = null;
                string? message = null;
                if (Array(status, "errors").FirstOrDefault() is { ValueKind: JsonValueKind.Object } error)
                {
                    var number = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : (int?)null;
                    code = number is WhatsAppErrors.ReEngagement ? WhatsAppErrors.OutsideWindow : number?.ToString(CultureInfo.InvariantCulture);
                    var details = error.TryGetProperty("error_data", out var data) ? Text(data, "details") : null;
                    message = string.Join(": ", new[] { Text(error, "title") ?? Text(error, "message"), details }.Where(s => s is { Length: > 0 }));
                }

                updates.Add(new StatusUpdate($"{id}:{given}", id, ours, Timestamp(status), code, message,
                    Text(status, "recipient_id") is { } recipient ? "+" + recipient : null));
            }
        }

        return updates;
    }

    public static IReadOnlyList<InboundMessage> ParseInbound(byte[] body)
    {
        var messages = new List<InboundMessage>();
        foreach (var value in Values(body))
        {
            var names = Array(value, "contacts")
                .Where(c => Text(c, "wa_id") is not null)
                .ToDictionary(c => Text(c, "wa_id")!, c => c.TryGetProperty("profile", out var p) ? Text(p, "name") : null, StringComparer.Ordinal);
            foreach (var message in Array(value, "messages"))
            {
                var id = Require(message, "id");
                var from = Require(message, "from");
                var type = Text(message, "type") ?? "unknown";
                var media = new List<string>();
                var content = message.TryGetProperty(type, out var part) ? part : default;
                if (content.ValueKind == JsonValueKind.Object && Text(content, "id") is { } mediaId)
                {
                    media.Add(mediaId);
                }

                var replyTo = message.TryGetProperty("context", out var context) ? Text(context, "id") : null;
                messages.Add(new InboundMessage(id, id, "+" + from, names.GetValueOrDefault(from), BodyOf(type, content), media,
                    Timestamp(message), replyTo, type));
            }
        }

        return messages;
    }

    private static string? BodyOf(string type, JsonElement content)
    {
        if (content.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return type switch
        {
            "text" => Text(content, "body"),
            "image" or "video" or "document" => Text(content, "caption"),
            "button" => Text(content, "text"),
            "reaction" => Text(content, "emoji"),
            "location" => string.Join(", ", new[]
            {
                Text(content, "name"),
                content.TryGetProperty("latitude", out var lat) && content.TryGetProperty("longitude", out var lon)
                    ? string.Create(CultureInfo.InvariantCulture, $"{lat.GetDouble()},{lon.GetDouble()}")
                    : null,
            }.Where(s => s is { Length: > 0 })),
            "interactive" => content.TryGetProperty("button_reply", out var button) ? Text(button, "title")
                : content.TryGetProperty("list_reply", out var list) ? Text(list, "title") : null,
            _ => null,
        };
    }

    private static IEnumerable<JsonElement> Values(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || Text(root, "object") != "whatsapp_business_account")
        {
            throw new FormatException("not a whatsapp_business_account notification");
        }

        var values = new List<JsonElement>();
        foreach (var entry in Array(root, "entry"))
        {
            foreach (var change in Array(entry, "changes"))
            {
                if (change.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object)
                {
                    values.Add(value.Clone());
                }
            }
        }

        return values;
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : [];

    private static DateTimeOffset Timestamp(JsonElement element) =>
        long.TryParse(Text(element, "timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new FormatException("a status or message without a timestamp");

    private static string Require(JsonElement element, string name) =>
        Text(element, name) ?? throw new KeyNotFoundException($"'{name}' is missing");

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
