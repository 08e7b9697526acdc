using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Refit;
using Turumba.Channels;
using Turumba.Platform;

namespace Turumba.Adapters.Telegram;

/// <summary>
/// Telegram Bot API (https://core.telegram.org/bots/api). Sends text, photos and documents,
/// checks tokens with getMe, registers webhooks with a secret token, and reads Updates.
/// Telegram sends no delivery receipts to bots, so there are no status updates.
/// </summary>
[ChannelAdapter(ChannelTypes.Telegram, Provider, IsDefault = true)]
[WebhookAuthentication(SecretHeader, "The secret token the channel registered with setWebhook.")]
internal sealed class TelegramAdapter(IHttpClientFactory httpClients, IOptions<TelegramOptions> options) : IChannelAdapter
{
    public const string Provider = "telegram";
    public const string HttpClientName = "telegram";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    public const string BotToken = "bot_token";
    private static readonly string[] AllowedUpdates = ["message", "edited_message", "channel_post"];

    public CredentialRules Credentials { get; } = new([BotToken], [BotToken]);

    public async Task<DispatchResult> SendAsync(DispatchPayload payload, CancellationToken cancellationToken)
    {
        var parseMode = payload.Metadata.GetValueOrDefault("parse_mode");
        var chatId = payload.DeliveryAddress;
        var message = payload.MediaUrl switch
        {
            null => await CallAsync(payload.Credentials, api => api.SendMessageAsync(
                new SendMessageRequest(chatId, payload.Body, parseMode, ReplyTo(payload.ReplyToProviderMessageId)), cancellationToken)),
            var url when IsImage(payload.MediaType) => await CallAsync(payload.Credentials, api => api.SendPhotoAsync(
                new SendPhotoRequest(chatId, url, NullIfEmpty(payload.Body), parseMode), cancellationToken)),
            var url => await CallAsync(payload.Credentials, api => api.SendDocumentAsync(
                new SendDocumentRequest(chatId, url, NullIfEmpty(payload.Body), parseMode), cancellationToken)),
        };
        return new DispatchResult($"{message.Chat.Id}:{message.MessageId}", "sent",
            new Dictionary<string, string> { ["telegram_message_id"] = message.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    public async Task<CredentialCheck> VerifyCredentialsAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var bot = await CallAsync(credentials, api => api.GetMeAsync(cancellationToken));
        return new CredentialCheck(bot.Username ?? bot.FirstName, new Dictionary<string, string>
        {
            ["bot_id"] = bot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["bot_username"] = bot.Username ?? string.Empty,
        });
    }

    public async Task<ChannelHealth> CheckHealthAsync(ChannelCredentials credentials, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var bot = await CallAsync(credentials, api => api.GetMeAsync(cancellationToken));
            return new ChannelHealth(true, $"getMe answered for @{bot.Username}", watch.Elapsed);
        }
        catch (ChannelAdapterException ex)
        {
            return new ChannelHealth(false, ex.Message, watch.Elapsed);
        }
    }

    public async Task<WebhookRegistration?> RegisterWebhookAsync(ChannelCredentials credentials, Uri webhookUrl, CancellationToken cancellationToken)
    {
        var secret = credentials.Get(ChannelCredentials.WebhookSecret);
        await CallAsync(credentials, api => api.SetWebhookAsync(new SetWebhookRequest(webhookUrl.ToString(), secret, AllowedUpdates), cancellationToken));
        return new WebhookRegistration(webhookUrl, secret);
    }

    public bool VerifySignature(WebhookRequest request, ChannelCredentials credentials)
    {
        var expected = credentials.Get(ChannelCredentials.WebhookSecret);
        var given = request.Header(SecretHeader);
        return expected is not null && given is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
    }

    public IReadOnlyList<InboundMessage> ParseInbound(WebhookRequest request) => TelegramUpdateParser.Parse(request.Body);

    public IReadOnlyList<StatusUpdate> ParseStatusUpdates(WebhookRequest request) => [];

    // A token is "<bot id>:<secret>": each bot is its own account, and its id reveals nothing secret.
    public string? ProviderAccountOf(ChannelCredentials credentials) =>
        credentials.Get(BotToken) is { } token && token.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon ? token[..colon] : null;

    /// <summary>Turns a failed Bot API answer into the adapter error that tells dispatch what to do.</summary>
    internal static ChannelAdapterException MapError(HttpStatusCode status, string? content)
    {
        var error = TryRead(content);
        var description = error?.Description ?? $"HTTP {(int)status}";
        var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (int)status switch
        {
            401 => new ProviderAuthException($"Telegram refused the bot token: {description}", code),
            404 => new ProviderAuthException($"Telegram does not know this bot token: {description}", code),
            429 => new ProviderRateLimitException($"Telegram asks to slow down: {description}",
                TimeSpan.FromSeconds(Math.Max(1, error?.Parameters?.RetryAfter ?? 1)), code),
            >= 500 => new ProviderConnectionException($"Telegram failed on its side: {description}", code),
            // "Forbidden: bot was blocked by the user": the chat asked not to hear from the bot.
            403 when description.Contains("blocked by the user", StringComparison.OrdinalIgnoreCase) =>
                new InvalidPayloadException($"Telegram refused the message: {description}", code) { SuppressRecipient = "blocked" },
            _ => new InvalidPayloadException($"Telegram refused the message: {description}", code),
        };
    }

    private async Task<T> CallAsync<T>(ChannelCredentials credentials, Func<ITelegramBotApi, Task<IApiResponse<TelegramResponse<T>>>> call)
    {
        var token = credentials.Require(BotToken);
        var http = httpClients.CreateClient(HttpClientName);
        var baseUrl = (credentials.BaseUrlOverride ?? options.Value.BaseUrl).ToString().TrimEnd('/');
        http.BaseAddress = new Uri($"{baseUrl}/bot{token}");
        http.Timeout = options.Value.Timeout;
        var api = RestService.ForGenerated<ITelegramBotApi>(http, TelegramJson.Settings);
        IApiResponse<TelegramResponse<T>> response;
        try
        {
            response = await call(api);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderConnectionException($"Telegram could not be reached: {ex.Message}", inner: ex);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw new ProviderConnectionException("Telegram did not answer in time.", inner: ex);
        }

        if (response.IsSuccessStatusCode && response.Content is { Ok: true, Result: { } result })
        {
            return result;
        }

        throw MapError(response.StatusCode ?? HttpStatusCode.BadGateway, (response.Error as ApiException)?.Content);
    }

    private static TelegramResponse<JsonElement>? TryRead(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TelegramResponse<JsonElement>>(content, TelegramJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ReplyParameters? ReplyTo(string? providerMessageId) =>
        providerMessageId?.Split(':') is [_, var id] && long.TryParse(id, out var messageId) ? new ReplyParameters(messageId) : null;

    private static bool IsImage(string? mediaType) =>
        mediaType is not null && (mediaType.StartsWith("image", StringComparison.OrdinalIgnoreCase) || mediaType.Equals("photo", StringComparison.OrdinalIgnoreCase));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
