using System.Text.Json.Nodes;
using Turumba.Channels;

namespace Turumba.Adapters.Meta;

/// <summary>
/// Request bodies of <c>POST /me/messages</c> (https://developers.facebook.com/docs/messenger-platform/reference/send-api):
/// <c>recipient.id</c> (the PSID), <c>messaging_type</c> (<c>RESPONSE</c>, <c>UPDATE</c>, <c>MESSAGE_TAG</c> with a <c>tag</c>),
/// and a message that is either <c>text</c> or one <c>attachment</c> by URL, never both.
/// </summary>
internal static class MessengerMessages
{
    /// <summary>The channel credential naming the tag that lets a message go outside the window.</summary>
    public const string MessageTag = "message_tag";

    /// <summary>Message metadata asking for <c>UPDATE</c> instead of <c>RESPONSE</c> inside the window.</summary>
    public const string MessagingType = "messaging_type";

    public const string Response = "RESPONSE";
    public const string Update = "UPDATE";
    public const string Tagged = "MESSAGE_TAG";

    /// <summary>The tags Meta still accepts (https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags).</summary>
    public static IReadOnlyList<string> Tags { get; } = ["ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "HUMAN_AGENT"];

    public static IEnumerable<CredentialProblem> Check(IReadOnlyDictionary<string, string> credentials)
    {
        if (credentials.TryGetValue(MessageTag, out var tag) && tag.Length > 0 && !Tags.Contains(tag, StringComparer.Ordinal))
        {
            yield return new CredentialProblem(MessageTag, $"must be one of {string.Join(", ", Tags)}.");
        }
    }

    /// <summary>The envelope for a send: RESPONSE (or UPDATE when asked) inside the window, the channel's tag outside it.</summary>
    public static JsonObject Envelope(DispatchPayload payload, bool windowOpen, string? tag)
    {
        var envelope = new JsonObject { ["recipient"] = new JsonObject { ["id"] = payload.DeliveryAddress.Trim() } };
        if (windowOpen)
        {
            envelope[MessagingType] = string.Equals(payload.Metadata.GetValueOrDefault(MessagingType), Update, StringComparison.OrdinalIgnoreCase)
                ? Update
                : Response;
        }
        else
        {
            envelope[MessagingType] = Tagged;
            envelope["tag"] = tag;
        }

        return envelope;
    }

    public static JsonObject Text(JsonObject envelope, string text)
    {
        var message = (JsonObject)envelope.DeepClone();
        message["message"] = new JsonObject { ["text"] = text };
        return message;
    }

    public static JsonObject Attachment(JsonObject envelope, string url, string? mediaType)
    {
        var message = (JsonObject)envelope.DeepClone();
        message["message"] = new JsonObject
        {
            ["attachment"] = new JsonObject
            {
                ["type"] = AttachmentType(mediaType),
                ["payload"] = new JsonObject { ["url"] = url, ["is_reusable"] = false },
            },
        };
        return message;
    }

    /// <summary>A media type (<c>image</c>…) or MIME type (<c>image/png</c>, <c>application/pdf</c>) as Messenger's attachment type.</summary>
    private static string AttachmentType(string? given) => given?.Split('/')[0].ToLowerInvariant() switch
    {
        "image" => "image",
        "video" => "video",
        "audio" => "audio",
        _ => "file",
    };
}
