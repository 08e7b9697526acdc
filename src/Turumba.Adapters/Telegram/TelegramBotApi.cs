using System.Text.Json.Serialization;
using Refit;

namespace Turumba.Adapters.Telegram;

/// <summary>
/// The Bot API methods we call, relative to <c>{base}/bot{token}</c>.
/// https://core.telegram.org/bots/api#making-requests
/// </summary>
internal interface ITelegramBotApi
{
    [Post("/getMe")]
    Task<IApiResponse<TelegramResponse<TelegramUser>>> GetMeAsync(CancellationToken cancellationToken);

    [Post("/sendMessage")]
    Task<IApiResponse<TelegramResponse<TelegramMessage>>> SendMessageAsync([Body] SendMessageRequest request, CancellationToken cancellationToken);

    [Post("/sendPhoto")]
    Task<IApiResponse<TelegramResponse<TelegramMessage>>> SendPhotoAsync([Body] SendPhotoRequest request, CancellationToken cancellationToken);

    [Post("/sendDocument")]
    Task<IApiResponse<TelegramResponse<TelegramMessage>>> SendDocumentAsync([Body] SendDocumentRequest request, CancellationToken cancellationToken);

    [Post("/setWebhook")]
    Task<IApiResponse<TelegramResponse<bool>>> SetWebhookAsync([Body] SetWebhookRequest request, CancellationToken cancellationToken);
}

/// <summary>Every Bot API answer: <c>{"ok": true, "result": …}</c> or <c>{"ok": false, "error_code", "description", "parameters"}</c>.</summary>
internal sealed record TelegramResponse<T>(
    bool Ok,
    T? Result,
    [property: JsonPropertyName("error_code")] int? ErrorCode,
    string? Description,
    TelegramResponseParameters? Parameters);

internal sealed record TelegramResponseParameters(
    [property: JsonPropertyName("retry_after")] int? RetryAfter,
    [property: JsonPropertyName("migrate_to_chat_id")] long? MigrateToChatId);

internal sealed record TelegramUser(
    long Id,
    [property: JsonPropertyName("is_bot")] bool IsBot,
    [property: JsonPropertyName("first_name")] string FirstName,
    [property: JsonPropertyName("last_name")] string? LastName,
    string? Username);

internal sealed record TelegramChat(long Id, string Type, string? Title, string? Username);

internal sealed record TelegramMessage(
    [property: JsonPropertyName("message_id")] long MessageId,
    TelegramChat Chat,
    long Date);

internal sealed record SendMessageRequest(
    [property: JsonPropertyName("chat_id")] string ChatId,
    string Text,
    [property: JsonPropertyName("parse_mode"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ParseMode,
    [property: JsonPropertyName("reply_parameters"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReplyParameters? ReplyParameters);

internal sealed record SendPhotoRequest(
    [property: JsonPropertyName("chat_id")] string ChatId,
    string Photo,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Caption,
    [property: JsonPropertyName("parse_mode"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ParseMode);

internal sealed record SendDocumentRequest(
    [property: JsonPropertyName("chat_id")] string ChatId,
    string Document,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Caption,
    [property: JsonPropertyName("parse_mode"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ParseMode);

internal sealed record ReplyParameters([property: JsonPropertyName("message_id")] long MessageId);

internal sealed record SetWebhookRequest(
    string Url,
    [property: JsonPropertyName("secret_token")] string? SecretToken,
    [property: JsonPropertyName("allowed_updates")] IReadOnlyList<string> AllowedUpdates);
