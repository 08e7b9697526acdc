using System.Globalization;
using System.Text.Json;
using Turumba.Channels;

namespace Turumba.Adapters.Telegram;

/// <summary>
/// Reads an Update (https://core.telegram.org/bots/api#update) into inbound messages: text or
/// caption, media file ids, the chat to answer to. Updates of other kinds give nothing.
/// </summary>
internal static class TelegramUpdateParser
{
    private static readonly string[] MessageKinds = ["message", "edited_message", "channel_post", "edited_channel_post"];
    private static readonly string[] SingleMedia = ["document", "audio", "voice", "video", "video_note", "animation", "sticker"];

    public static IReadOnlyList<InboundMessage> Parse(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var update = document.RootElement;
        var updateId = update.GetProperty("update_id").GetInt64().ToString(CultureInfo.InvariantCulture);
        foreach (var kind in MessageKinds)
        {
            if (update.TryGetProperty(kind, out var message))
            {
                return [Read(updateId, kind, message)];
            }
        }

        return [];
    }

    private static InboundMessage Read(string updateId, string kind, JsonElement message)
    {
        var chat = message.GetProperty("chat");
        var chatId = chat.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var messageId = message.GetProperty("message_id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var at = message.TryGetProperty("edit_date", out var edited) ? edited.GetInt64() : message.GetProperty("date").GetInt64();
        var body = Text(message, "text") ?? Text(message, "caption");
        string? replyTo = message.TryGetProperty("reply_to_message", out var reply)
            ? $"{chatId}:{reply.GetProperty("message_id").GetInt64().ToString(CultureInfo.InvariantCulture)}"
            : null;
        return new InboundMessage(updateId, $"{chatId}:{messageId}", chatId, SenderName(message, chat), body, MediaFileIds(message),
            DateTimeOffset.FromUnixTimeSeconds(at), replyTo, kind);
    }

    private static List<string> MediaFileIds(JsonElement message)
    {
        var ids = new List<string>();
        // A photo comes in several sizes; the last is the largest.
        if (message.TryGetProperty("photo", out var photo) && photo.ValueKind == JsonValueKind.Array && photo.GetArrayLength() > 0)
        {
            ids.Add(photo[photo.GetArrayLength() - 1].GetProperty("file_id").GetString()!);
        }

        foreach (var media in SingleMedia)
        {
            if (message.TryGetProperty(media, out var item) && item.TryGetProperty("file_id", out var fileId))
            {
                ids.Add(fileId.GetString()!);
            }
        }

        return ids;
    }

    private static string? SenderName(JsonElement message, JsonElement chat)
    {
        if (message.TryGetProperty("from", out var from))
        {
            var name = string.Join(' ', new[] { Text(from, "first_name"), Text(from, "last_name") }.Where(n => n is not null));
            return name.Length > 0 ? name : Text(from, "username");
        }

        return Text(chat, "title") ?? Text(chat, "username");
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
