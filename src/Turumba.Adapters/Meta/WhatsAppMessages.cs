using System.Text.Json;
using System.Text.Json.Nodes;
using Turumba.Channels;

namespace Turumba.Adapters.Meta;

/// <summary>
/// Request bodies of <c>POST /{phone_number_id}/messages</c>
/// (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages): text with
/// <c>preview_url</c>, media by <c>link</c> (audio takes no caption), and templates with body parameters.
/// </summary>
internal static class WhatsAppMessages
{
    /// <summary>Message metadata set when the Turumba template is linked to an approved provider template.</summary>
    public const string TemplateName = "provider_template_name";
    public const string TemplateLanguage = "provider_template_language";

    /// <summary>A JSON array of strings: the template's variables for the contact, in order of first use ({{1}}, {{2}}, …).</summary>
    public const string TemplateParameters = "provider_template_parameters";

    public static bool HasTemplate(DispatchPayload payload) => payload.Metadata.ContainsKey(TemplateName);

    public static JsonObject FreeForm(DispatchPayload payload)
    {
        var message = Envelope(payload);
        if (payload.MediaUrl is { } link)
        {
            var type = MediaType(payload.MediaType);
            var media = new JsonObject { ["link"] = link };
            if (type != "audio" && payload.Body.Length > 0)
            {
                media["caption"] = payload.Body;
            }

            message["type"] = type;
            message[type] = media;
            return message;
        }

        message["type"] = "text";
        message["text"] = new JsonObject
        {
            ["preview_url"] = payload.Body.Contains("https://", StringComparison.Ordinal) || payload.Body.Contains("http://", StringComparison.Ordinal),
            ["body"] = payload.Body,
        };
        return message;
    }

    public static JsonObject Template(DispatchPayload payload)
    {
        var template = new JsonObject
        {
            ["name"] = payload.Metadata[TemplateName],
            ["language"] = new JsonObject { ["code"] = payload.Metadata.GetValueOrDefault(TemplateLanguage) ?? "en_US" },
        };
        var parameters = payload.Metadata.GetValueOrDefault(TemplateParameters) is { Length: > 0 } json
            ? JsonSerializer.Deserialize<List<string>>(json) ?? []
            : [];
        if (parameters.Count > 0)
        {
            template["components"] = new JsonArray(new JsonObject
            {
                ["type"] = "body",
                ["parameters"] = new JsonArray(parameters.Select(p => (JsonNode)new JsonObject { ["type"] = "text", ["text"] = p }).ToArray()),
            });
        }

        var message = Envelope(payload);
        message["type"] = "template";
        message["template"] = template;
        return message;
    }

    /// <summary>The recipient as Meta takes it: the phone number's digits, country code first, no <c>+</c>.</summary>
    public static string Recipient(string address) => address.TrimStart('+').Replace(" ", string.Empty, StringComparison.Ordinal);

    private static JsonObject Envelope(DispatchPayload payload)
    {
        var message = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = Recipient(payload.DeliveryAddress),
        };
        if (payload.ReplyToProviderMessageId is { } replyTo)
        {
            message["context"] = new JsonObject { ["message_id"] = replyTo };
        }

        return message;
    }

    /// <summary>A media type (<c>image</c>, <c>video</c>…) or MIME type (<c>image/png</c>, <c>application/pdf</c>) as Meta's message type.</summary>
    private static string MediaType(string? given) => given?.Split('/')[0].ToLowerInvariant() switch
    {
        "image" => "image",
        "video" => "video",
        "audio" => "audio",
        "sticker" => "sticker",
        _ => "document",
    };
}
