using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Meta;

/// <summary>One Graph API call as the simulated WhatsApp Cloud API received it.</summary>
public sealed record WhatsAppRequest(string Method, string Path, string PhoneNumberId, JsonObject? Body, int StatusCode, DateTimeOffset ReceivedAt);

/// <summary>A webhook the simulator made (handshake or signed POST) and how our side answered.</summary>
public sealed record WhatsAppCallback(string Url, string Body, string Signature, int StatusCode, string ResponseBody);

/// <summary>Where a phone number's webhooks go: what the Meta app's dashboard holds.</summary>
public sealed record WhatsAppSubscription(string CallbackUrl, string AppSecret);

/// <summary>
/// The state of the simulated WhatsApp Cloud API: the phone-number fetch, <c>/messages</c> with
/// Meta's validation and error bodies, the template list, the 24-hour window kept from the inbound
/// messages it delivered (free-form outside it is error 131047, as Meta answers), and signed webhooks
/// (<c>X-Hub-Signature-256</c>) to the callback a subscription handshake confirmed. Recipients
/// <c>15550001026</c> (131026, undeliverable) and <c>15550001021</c> (131021, sender is recipient) fail.
/// </summary>
public sealed class WhatsAppSimulator(IHttpClientFactory httpClients)
{
    private static readonly Dictionary<string, (int Code, string Title, string Details)> MagicRecipients = new(StringComparer.Ordinal)
    {
        ["15550001026"] = (131026, "Message undeliverable", "Receiver is incapable of receiving this message"),
        ["15550001021"] = (131021, "Recipient cannot be sender", "Sender and recipient phone number is the same."),
    };

    private readonly ConcurrentQueue<WhatsAppRequest> _requests = new();
    private readonly ConcurrentQueue<WhatsAppCallback> _callbacks = new();
    private readonly ConcurrentDictionary<string, WhatsAppSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Number, string WaId), DateTimeOffset> _windows = new();

    public FaultPlan Faults { get; } = new();

    /// <summary>Whether accepted messages are reported <c>delivered</c> after <c>sent</c>; <c>false</c> reports only <c>sent</c>.</summary>
    public bool ReportDelivered { get; set; } = true;

    /// <summary>How webhooks reach our side; tests route them into an in-process host.</summary>
    public HttpMessageInvoker? CallbackClient { get; set; }

    /// <summary>The templates every WhatsApp Business Account lists (name, language, status, body).</summary>
    public ConcurrentDictionary<string, (string Language, string Status, string Category, string Body)> Templates { get; } = new(StringComparer.Ordinal)
    {
        ["order_update"] = ("en_US", "APPROVED", "UTILITY", "Hello {{1}}, your order {{2}} is on its way."),
        ["spring_sale"] = ("en_US", "PENDING", "MARKETING", "Spring sale: {{1}} off."),
    };

    public IReadOnlyList<WhatsAppRequest> Requests => _requests.ToArray();

    public IReadOnlyList<WhatsAppRequest> Messages => _requests.Where(r => r.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<WhatsAppCallback> Callbacks => _callbacks.ToArray();

    public void Reset()
    {
        _requests.Clear();
        _callbacks.Clear();
        Faults.Reset();
        ReportDelivered = true;
    }

    /// <summary>Answers <c>GET /{version}/{phone_number_id}</c>.</summary>
    public (int Status, JsonObject Body) FetchNumber(string path, string number, string? authorization)
    {
        var answer = Authenticate(authorization) ?? Faulted() ?? (200, new JsonObject
        {
            ["verified_name"] = "Turumba Simulator",
            ["code_verification_status"] = "VERIFIED",
            ["display_phone_number"] = "+1 555-078-3881",
            ["quality_rating"] = "GREEN",
            ["platform_type"] = "CLOUD_API",
            ["throughput"] = new JsonObject { ["level"] = "STANDARD" },
            ["id"] = number,
        });
        _requests.Enqueue(new WhatsAppRequest("GET", path, number, null, answer.Status, DateTimeOffset.UtcNow));
        return answer;
    }

    /// <summary>Answers <c>GET /{version}/{waba_id}/message_templates</c>, <paramref name="limit"/> at a time from the <paramref name="after"/> cursor.</summary>
    public (int Status, JsonObject Body) ListTemplates(string path, string waba, string? authorization, int? limit = null, string? after = null)
    {
        var all = Templates.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var start = after is { Length: > 0 } && int.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(after)), CultureInfo.InvariantCulture, out var s) ? s : 0;
        var size = Math.Clamp(limit ?? 25, 1, 1000);
        var page = all.Skip(start).Take(size).ToList();
        var paging = new JsonObject
        {
            ["cursors"] = new JsonObject
            {
                ["before"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(start.ToString(CultureInfo.InvariantCulture))),
                ["after"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((start + page.Count).ToString(CultureInfo.InvariantCulture))),
            },
        };
        if (start + page.Count < all.Count)
        {
            paging["next"] = $"https://graph.facebook.com{path}?limit={size}&after={paging["cursors"]!["after"]}";
        }

        var answer = Authenticate(authorization) ?? (200, new JsonObject
        {
            ["data"] = new JsonArray(page.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Key,
                ["language"] = t.Value.Language,
                ["status"] = t.Value.Status,
                ["category"] = t.Value.Category,
                ["components"] = new JsonArray(new JsonObject { ["type"] = "BODY", ["text"] = t.Value.Body }),
                ["id"] = Math.Abs(t.Key.GetHashCode(StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture),
            }).ToArray()),
            ["paging"] = paging,
        });
        _requests.Enqueue(new WhatsAppRequest("GET", path, waba, null, answer.Status, DateTimeOffset.UtcNow));
        return answer;
    }

    /// <summary>Answers <c>POST /{version}/{phone_number_id}/messages</c>; an accepted message's statuses follow in the background.</summary>
    public async Task<(int Status, JsonObject Body)> SendAsync(string path, string number, string? authorization, JsonObject? body)
    {
        var answer = Authenticate(authorization) ?? Faulted() ?? Validate(number, body);
        _requests.Enqueue(new WhatsAppRequest("POST", path, number, body, answer.Status, DateTimeOffset.UtcNow));
        if (Faults.NextLatency() is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency);
        }

        if (answer.Status == 200)
        {
            var wamid = answer.Body["messages"]![0]!["id"]!.ToString();
            var to = body!["to"]!.ToString();
            _ = Task.Run(async () =>
            {
                await TryPostStatusAsync(number, wamid, to, "sent");
                if (ReportDelivered)
                {
                    await TryPostStatusAsync(number, wamid, to, "delivered");
                }
            });
        }

        return answer;
    }

    /// <summary>
    /// What saving the callback URL in the Meta app's dashboard does: a GET handshake with the
    /// verify token; the subscription is kept only when our side echoes the challenge.
    /// </summary>
    public async Task<WhatsAppCallback> SubscribeAsync(string number, string callbackUrl, string verifyToken, string appSecret, CancellationToken cancellationToken)
    {
        var challenge = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var url = $"{callbackUrl}?hub.mode=subscribe&hub.challenge={challenge}&hub.verify_token={Uri.EscapeDataString(verifyToken)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await Client.SendAsync(request, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        var callback = new WhatsAppCallback(url, string.Empty, string.Empty, (int)response.StatusCode, answer);
        _callbacks.Enqueue(callback);
        if (response.IsSuccessStatusCode && answer == challenge)
        {
            _subscriptions[number] = new WhatsAppSubscription(callbackUrl, appSecret);
        }

        return callback;
    }

    /// <summary>A customer writes to the number: the window opens and the message is posted to the subscribed callback.</summary>
    public Task<WhatsAppCallback> DeliverInboundAsync(string number, string from, string name, string text, CancellationToken cancellationToken)
    {
        var waId = from.TrimStart('+');
        var now = DateTimeOffset.UtcNow;
        _windows[(number, waId)] = now;
        var value = Value(number);
        value["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = name }, ["wa_id"] = waId });
        value["messages"] = new JsonArray(new JsonObject
        {
            ["from"] = waId,
            ["id"] = NewWamid(),
            ["timestamp"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["text"] = new JsonObject { ["body"] = text },
            ["type"] = "text",
        });
        return PostAsync(number, Notification(value), cancellationToken);
    }

    /// <summary>Posts one status of a message (<c>sent</c>, <c>delivered</c>, <c>read</c>, <c>failed</c> with <paramref name="errorCode"/>).</summary>
    public Task<WhatsAppCallback> DeliverStatusAsync(string number, string wamid, string recipient, string status, int? errorCode, CancellationToken cancellationToken)
    {
        var value = Value(number);
        var entry = new JsonObject
        {
            ["id"] = wamid,
            ["status"] = status,
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["recipient_id"] = recipient.TrimStart('+'),
        };
        if (status != "failed")
        {
            entry["conversation"] = new JsonObject { ["id"] = "CONVERSATION_ID", ["origin"] = new JsonObject { ["type"] = "service" } };
            entry["pricing"] = new JsonObject { ["billable"] = true, ["pricing_model"] = "PMP", ["category"] = "service" };
        }
        else
        {
            entry["errors"] = new JsonArray(new JsonObject
            {
                ["code"] = errorCode ?? 131026,
                ["title"] = errorCode == 131047 ? "Re-engagement message" : "Message undeliverable",
                ["message"] = errorCode == 131047 ? "Re-engagement message" : "Message undeliverable",
                ["error_data"] = new JsonObject { ["details"] = errorCode == 131047
                    ? "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
                    : "Message Undeliverable." },
            });
        }

        value["statuses"] = new JsonArray(entry);
        return PostAsync(number, Notification(value), cancellationToken);
    }

    /// <summary>Posts <paramref name="body"/> as it is, signed with the subscription's app secret.</summary>
    public async Task<WhatsAppCallback> PostAsync(string number, string body, CancellationToken cancellationToken)
    {
        var subscription = _subscriptions.GetValueOrDefault(number)
            ?? throw new InvalidOperationException($"No webhook is subscribed for phone number {number}: subscribe a callback first.");
        var bytes = Encoding.UTF8.GetBytes(body);
        var signature = Sign(subscription.AppSecret, bytes);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.CallbackUrl) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature-256", signature);
        request.Headers.UserAgent.ParseAdd("facebookexternalua");
        using var response = await Client.SendAsync(request, cancellationToken);
        var callback = new WhatsAppCallback(subscription.CallbackUrl, body, signature, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        _callbacks.Enqueue(callback);
        return callback;
    }

    /// <summary>Meta's signature: <c>sha256=</c> and the hex HMAC-SHA256 of the body bytes with the app secret.</summary>
    public static string Sign(string appSecret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    /// <summary>Opens (or closes, with a time over a day ago) a customer's window as the simulator sees it.</summary>
    public void SetWindow(string number, string waId, DateTimeOffset lastInbound) => _windows[(number, waId.TrimStart('+'))] = lastInbound;

    private HttpMessageInvoker Client => CallbackClient ?? httpClients.CreateClient();

    private async Task TryPostStatusAsync(string number, string wamid, string to, string status)
    {
        if (!_subscriptions.TryGetValue(number, out var subscription))
        {
            return;
        }

        try
        {
            await DeliverStatusAsync(number, wamid, to, status, null, CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            // Meta retries webhooks for a while; the simulator records the attempt and drops it.
            _callbacks.Enqueue(new WhatsAppCallback(subscription.CallbackUrl, string.Empty, string.Empty, 0, ex.Message));
        }
    }

    private (int Status, JsonObject Body)? Authenticate(string? authorization)
    {
        var token = authorization is { } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a[7..].Trim() : null;
        return token is null or { Length: 0 } || Faults.Rejects(token)
            ? Error(401, 190, "Invalid OAuth access token - Cannot parse access token", null, "OAuthException")
            : null;
    }

    private (int Status, JsonObject Body)? Faulted() => Faults.Next(null) switch
    {
        Fault.ServerError => Error(500, 131000, "Something went wrong", "Something went wrong"),
        Fault.RateLimited => Error(400, 130429, "Rate limit hit", "Cloud API message throughput has been reached."),
        _ => null,
    };

    private (int Status, JsonObject Body) Validate(string number, JsonObject? body)
    {
        if (body?["messaging_product"]?.ToString() != "whatsapp")
        {
            return Error(400, 100, "(#100) The parameter messaging_product is required.", null);
        }

        var to = body["to"]?.ToString();
        if (string.IsNullOrEmpty(to) || !to.All(char.IsAsciiDigit))
        {
            return Error(400, 100, "(#100) Invalid parameter", "Parameter 'to' is not a valid phone number.");
        }

        if (MagicRecipients.TryGetValue(to, out var magic))
        {
            return Error(400, magic.Code, magic.Title, magic.Details);
        }

        var type = body["type"]?.ToString() ?? "text";
        if (type == "template")
        {
            var name = body["template"]?["name"]?.ToString();
            if (name is null || !Templates.TryGetValue(name, out var template) || template.Language != body["template"]?["language"]?["code"]?.ToString())
            {
                return Error(404, 132001, "Template name does not exist in the translation", $"template name ({name}) does not exist in {body["template"]?["language"]?["code"]}");
            }

            if (template.Status != "APPROVED")
            {
                return Error(400, 132015, "Template is Paused", $"Template {name} is {template.Status}.");
            }
        }
        else
        {
            if (body[type] is not JsonObject)
            {
                return Error(400, 100, "(#100) Invalid parameter", $"Parameter '{type}' is required for messages of type {type}.");
            }

            if (!_windows.TryGetValue((number, to), out var last) || DateTimeOffset.UtcNow - last > TimeSpan.FromHours(24))
            {
                return Error(400, 131047, "Re-engagement message",
                    "Message failed to send because more than 24 hours have passed since the customer last replied to this number.");
            }
        }

        return (200, new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = to, ["wa_id"] = to }),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = NewWamid() }),
        });
    }

    private static (int Status, JsonObject Body) Error(int status, int code, string message, string? details, string type = "OAuthException")
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code };
        if (details is not null)
        {
            error["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = details };
        }

        error["fbtrace_id"] = "A" + Guid.NewGuid().ToString("N")[..22];
        return (status, new JsonObject { ["error"] = error });
    }

    private static JsonObject Value(string number) => new()
    {
        ["messaging_product"] = "whatsapp",
        ["metadata"] = new JsonObject { ["display_phone_number"] = "15550783881", ["phone_number_id"] = number },
    };

    private static string Notification(JsonObject value) => new JsonObject
    {
        ["object"] = "whatsapp_business_account",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = "102290129340398",
            ["changes"] = new JsonArray(new JsonObject { ["value"] = value, ["field"] = "messages" }),
        }),
    }.ToJsonString();

    private static string NewWamid() => "wamid." + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');
}
