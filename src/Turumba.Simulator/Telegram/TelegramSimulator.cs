using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Telegram;

/// <summary>One Bot API call as the simulator received it.</summary>
public sealed record TelegramRequest(string Method, string Token, JsonObject Parameters, int StatusCode, DateTimeOffset ReceivedAt);

/// <summary>
/// The state of the simulated Telegram: what bots were asked to do, their webhooks, the faults
/// to inject. Speaks the Bot API's shapes (https://core.telegram.org/bots/api).
/// </summary>
public sealed partial class TelegramSimulator(IHttpClientFactory httpClients)
{
    private readonly ConcurrentQueue<TelegramRequest> _requests = new();
    private readonly ConcurrentDictionary<string, (string Url, string? Secret)> _webhooks = new(StringComparer.Ordinal);
    private long _messageId;
    private long _updateId = 100_000;

    public FaultPlan Faults { get; } = new();

    public IReadOnlyList<TelegramRequest> Requests => _requests.ToArray();

    public IReadOnlyList<TelegramRequest> RequestsFor(string method) => _requests.Where(r => r.Method == method).ToList();

    public (string Url, string? Secret)? WebhookOf(string token) => _webhooks.TryGetValue(token, out var hook) ? hook : null;

    public void Reset()
    {
        _requests.Clear();
        _webhooks.Clear();
        Faults.Reset();
    }

    [GeneratedRegex(@"^[0-9]{1,20}:[A-Za-z0-9_-]{20,}$")]
    private static partial Regex TokenFormat();

    /// <summary>Answers one Bot API call: (HTTP status, JSON body).</summary>
    public async Task<(int Status, JsonObject Body)> HandleAsync(string token, string method, JsonObject parameters)
    {
        var (status, body) = !TokenFormat().IsMatch(token)
            ? Error(404, "Not Found")
            : Faults.Next(token) switch
            {
                Fault.Unauthorized => Error(401, "Unauthorized"),
                Fault.ServerError => Error(502, "Bad Gateway"),
                Fault.RateLimited => RateLimited(Faults.RetryAfterSeconds),
                _ => Answer(token, method, parameters),
            };
        // Like a real provider, what arrived is acted on at once; latency only delays the answer,
        // so a client that dies while waiting has still had its message sent.
        _requests.Enqueue(new TelegramRequest(method, token, parameters, status, DateTimeOffset.UtcNow));
        if (Faults.NextLatency() is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, CancellationToken.None);
        }

        return (status, body);
    }

    /// <summary>Posts an Update to the webhook registered for the bot, with its secret header, as Telegram does.</summary>
    public async Task<int> DeliverUpdateAsync(string token, JsonObject update, CancellationToken cancellationToken)
    {
        if (!_webhooks.TryGetValue(token, out var hook))
        {
            throw new InvalidOperationException("No webhook is set for this bot: the channel must be created first.");
        }

        update["update_id"] ??= Interlocked.Increment(ref _updateId);
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url)
        {
            Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (hook.Secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", hook.Secret);
        }

        using var response = await httpClients.CreateClient().SendAsync(request, cancellationToken);
        return (int)response.StatusCode;
    }

    /// <summary>A realistic private-chat text message Update from a user.</summary>
    public JsonObject TextUpdate(long chatId, string text, string firstName = "Abebe") => new()
    {
        ["update_id"] = Interlocked.Increment(ref _updateId),
        ["message"] = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _messageId),
            ["from"] = new JsonObject { ["id"] = chatId, ["is_bot"] = false, ["first_name"] = firstName, ["language_code"] = "en" },
            ["chat"] = new JsonObject { ["id"] = chatId, ["first_name"] = firstName, ["type"] = "private" },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = text,
        },
    };

    private (int, JsonObject) Answer(string token, string method, JsonObject parameters) => method switch
    {
        "getMe" => Ok(Bot(token)),
        "sendMessage" => Send(token, parameters, "text"),
        "sendPhoto" => Send(token, parameters, "photo"),
        "sendDocument" => Send(token, parameters, "document"),
        "setWebhook" => SetWebhook(token, parameters),
        "deleteWebhook" => DeleteWebhook(token),
        "getWebhookInfo" => Ok(new JsonObject
        {
            ["url"] = _webhooks.TryGetValue(token, out var hook) ? hook.Url : string.Empty,
            ["has_custom_certificate"] = false,
            ["pending_update_count"] = 0,
        }),
        _ => Error(404, "Not Found: method not found"),
    };

    private (int, JsonObject) Send(string token, JsonObject parameters, string content)
    {
        var chatId = parameters["chat_id"]?.ToString();
        if (string.IsNullOrEmpty(chatId))
        {
            return Error(400, "Bad Request: chat_id is empty");
        }

        if (chatId.StartsWith("-404", StringComparison.Ordinal))
        {
            return Error(400, "Bad Request: chat not found");
        }

        if (chatId.StartsWith("-403", StringComparison.Ordinal))
        {
            return Error(403, "Forbidden: bot was blocked by the user");
        }

        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _messageId),
            ["from"] = Bot(token),
            ["chat"] = new JsonObject { ["id"] = long.TryParse(chatId, out var id) ? id : 0, ["type"] = "private" },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        if (content == "text")
        {
            var text = parameters["text"]?.ToString();
            if (string.IsNullOrEmpty(text))
            {
                return Error(400, "Bad Request: message text is empty");
            }

            message["text"] = text;
        }
        else
        {
            if (parameters[content]?.ToString() is not { Length: > 0 } file)
            {
                return Error(400, $"Bad Request: there is no {content} in the request");
            }

            message[content] = content == "photo"
                ? new JsonArray(new JsonObject { ["file_id"] = "AgAC" + Guid.NewGuid().ToString("N"), ["file_unique_id"] = "AQAD", ["width"] = 800, ["height"] = 600 })
                : new JsonObject { ["file_id"] = "BQAC" + Guid.NewGuid().ToString("N"), ["file_unique_id"] = "AgAD", ["file_name"] = Path.GetFileName(file) };
            if (parameters["caption"] is { } caption)
            {
                message["caption"] = caption.ToString();
            }
        }

        return Ok(message);
    }

    private (int, JsonObject) SetWebhook(string token, JsonObject parameters)
    {
        var url = parameters["url"]?.ToString();
        if (string.IsNullOrEmpty(url))
        {
            return DeleteWebhook(token);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            return Error(400, "Bad Request: bad webhook: Failed to resolve host");
        }

        _webhooks[token] = (url, parameters["secret_token"]?.ToString());
        return (200, new JsonObject { ["ok"] = true, ["result"] = true, ["description"] = "Webhook was set" });
    }

    private (int, JsonObject) DeleteWebhook(string token)
    {
        _webhooks.TryRemove(token, out _);
        return (200, new JsonObject { ["ok"] = true, ["result"] = true, ["description"] = "Webhook was deleted" });
    }

    private static JsonObject Bot(string token)
    {
        var id = long.Parse(token[..token.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject { ["id"] = id, ["is_bot"] = true, ["first_name"] = "Turumba Test Bot", ["username"] = $"turumba_{id}_bot" };
    }

    private static (int, JsonObject) Ok(JsonNode result) => (200, new JsonObject { ["ok"] = true, ["result"] = result });

    private static (int, JsonObject) Error(int code, string description) =>
        (code, new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description });

    private static (int, JsonObject) RateLimited(int retryAfter) => (429, new JsonObject
    {
        ["ok"] = false,
        ["error_code"] = 429,
        ["description"] = $"Too Many Requests: retry after {retryAfter}",
        ["parameters"] = new JsonObject { ["retry_after"] = retryAfter },
    });
}
