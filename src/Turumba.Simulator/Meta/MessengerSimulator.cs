using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Meta;

/// <summary>One Graph API call as the simulated Messenger Send API received it.</summary>
public sealed record MessengerRequest(string Method, string Path, string PageId, JsonObject? Body, int StatusCode, DateTimeOffset ReceivedAt);

/// <summary>
/// The state of the simulated Messenger Platform: the page fetch (which also tells the simulator
/// which page a page access token belongs to, as Meta knows), <c>POST /me/messages</c> with Meta's
/// validation and error bodies, the 24-hour window kept from the messages people sent, and signed
/// webhooks (<c>X-Hub-Signature-256</c>) to the callback a subscription handshake confirmed. PSID
/// <see cref="UnavailablePsid"/> is a person who blocked the page (551).
/// </summary>
public sealed class MessengerSimulator(IHttpClientFactory httpClients)
{
    public const string UnavailablePsid = "5510000000000551";

    private static readonly string[] Tags = ["ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "HUMAN_AGENT"];

    private readonly ConcurrentQueue<MessengerRequest> _requests = new();
    private readonly ConcurrentQueue<WhatsAppCallback> _callbacks = new();
    private readonly ConcurrentDictionary<string, WhatsAppSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _pageOfToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Page, string Psid), DateTimeOffset> _windows = new();

    public FaultPlan Faults { get; } = new();

    /// <summary>Whether accepted messages are reported delivered (mids and watermark); <c>false</c> reports nothing.</summary>
    public bool ReportDelivered { get; set; } = true;

    /// <summary>How webhooks reach our side; tests route them into an in-process host.</summary>
    public HttpMessageInvoker? CallbackClient { get; set; }

    public IReadOnlyList<MessengerRequest> Requests => _requests.ToArray();

    public IReadOnlyList<MessengerRequest> Messages => _requests.Where(r => r.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<WhatsAppCallback> Callbacks => _callbacks.ToArray();

    public void Reset()
    {
        _requests.Clear();
        _callbacks.Clear();
        Faults.Reset();
        ReportDelivered = true;
    }

    /// <summary>Whether a <c>GET /{version}/{id}</c> asks for a page: its <c>fields</c> name the page's <c>name</c>.</summary>
    public static bool IsPageFetch(string? fields) =>
        fields is not null && fields.Split(',', StringSplitOptions.TrimEntries).Contains("name", StringComparer.Ordinal);

    /// <summary>Answers <c>GET /{version}/{page_id}?fields=id,name</c>; the token is the page's from now on.</summary>
    public (int Status, JsonObject Body) FetchPage(string path, string pageId, string? authorization)
    {
        var answer = Authenticate(authorization, out var token) ?? Faulted() ?? (200, new JsonObject
        {
            ["name"] = "Turumba Simulator Page",
            ["id"] = pageId,
        });
        if (answer.Status == 200)
        {
            _pageOfToken[token!] = pageId;
        }

        _requests.Enqueue(new MessengerRequest("GET", path, pageId, null, answer.Status, DateTimeOffset.UtcNow));
        return answer;
    }

    /// <summary>Answers <c>POST /{version}/me/messages</c>; an accepted message's delivery follows in the background.</summary>
    public async Task<(int Status, JsonObject Body)> SendAsync(string path, string? authorization, JsonObject? body)
    {
        var answer = Authenticate(authorization, out var token) ?? Faulted() ?? Validate(token!, body, out _);
        var page = token is not null ? _pageOfToken.GetValueOrDefault(token) ?? "unknown" : "unknown";
        _requests.Enqueue(new MessengerRequest("POST", path, page, body, answer.Status, DateTimeOffset.UtcNow));
        if (Faults.NextLatency() is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency);
        }

        if (answer.Status == 200 && ReportDelivered)
        {
            var mid = answer.Body["message_id"]!.ToString();
            var psid = answer.Body["recipient_id"]!.ToString();
            _ = Task.Run(() => TryPostAsync(page, Delivery(page, psid, [mid], DateTimeOffset.UtcNow)));
        }

        return answer;
    }

    /// <summary>Saving the callback URL in the app dashboard: a GET handshake; the subscription is kept when the challenge comes back.</summary>
    public async Task<WhatsAppCallback> SubscribeAsync(string pageId, string callbackUrl, string verifyToken, string appSecret, CancellationToken cancellationToken)
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
            _subscriptions[pageId] = new WhatsAppSubscription(callbackUrl, appSecret);
        }

        return callback;
    }

    /// <summary>A person writes to the page (text, or an attachment by URL): the window opens and the message is posted.</summary>
    public Task<WhatsAppCallback> DeliverInboundAsync(string pageId, string psid, string? text, string? attachmentUrl, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        _windows[(pageId, psid)] = now;
        var message = new JsonObject { ["mid"] = NewMid() };
        if (text is not null)
        {
            message["text"] = text;
        }

        if (attachmentUrl is not null)
        {
            message["attachments"] = new JsonArray(new JsonObject { ["type"] = "image", ["payload"] = new JsonObject { ["url"] = attachmentUrl } });
        }

        return PostAsync(pageId, Notification(pageId, new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = psid },
            ["recipient"] = new JsonObject { ["id"] = pageId },
            ["timestamp"] = now.ToUnixTimeMilliseconds(),
            ["message"] = message,
        }), cancellationToken);
    }

    /// <summary>Posts a delivery: the listed mids (none, as older clients report) and the watermark.</summary>
    public Task<WhatsAppCallback> DeliverDeliveryAsync(string pageId, string psid, IReadOnlyList<string> mids, DateTimeOffset watermark, CancellationToken cancellationToken) =>
        PostAsync(pageId, Delivery(pageId, psid, mids, watermark), cancellationToken);

    /// <summary>Posts a read: every message the page sent up to the watermark was read.</summary>
    public Task<WhatsAppCallback> DeliverReadAsync(string pageId, string psid, DateTimeOffset watermark, CancellationToken cancellationToken) =>
        PostAsync(pageId, Notification(pageId, new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = psid },
            ["recipient"] = new JsonObject { ["id"] = pageId },
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["read"] = new JsonObject { ["watermark"] = watermark.ToUnixTimeMilliseconds() },
        }), cancellationToken);

    /// <summary>Posts the echo of a message the page sent (<c>is_echo</c>), as Meta does when message_echoes is subscribed.</summary>
    public Task<WhatsAppCallback> DeliverEchoAsync(string pageId, string psid, string text, CancellationToken cancellationToken) =>
        PostAsync(pageId, Notification(pageId, new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = pageId },
            ["recipient"] = new JsonObject { ["id"] = psid },
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["message"] = new JsonObject { ["is_echo"] = true, ["app_id"] = 1517776481860111, ["mid"] = NewMid(), ["text"] = text },
        }), cancellationToken);

    /// <summary>Posts <paramref name="body"/> as it is, signed with the subscription's app secret.</summary>
    public async Task<WhatsAppCallback> PostAsync(string pageId, string body, CancellationToken cancellationToken)
    {
        var subscription = _subscriptions.GetValueOrDefault(pageId)
            ?? throw new InvalidOperationException($"No webhook is subscribed for page {pageId}: subscribe a callback first.");
        var bytes = Encoding.UTF8.GetBytes(body);
        var signature = WhatsAppSimulator.Sign(subscription.AppSecret, bytes);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.CallbackUrl) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature-256", signature);
        request.Headers.UserAgent.ParseAdd("facebookexternalua");
        using var response = await Client.SendAsync(request, cancellationToken);
        var callback = new WhatsAppCallback(subscription.CallbackUrl, body, signature, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        _callbacks.Enqueue(callback);
        return callback;
    }

    /// <summary>Opens (or closes, with a time over a day ago) a person's window as the simulator sees it.</summary>
    public void SetWindow(string pageId, string psid, DateTimeOffset lastInbound) => _windows[(pageId, psid)] = lastInbound;

    private HttpMessageInvoker Client => CallbackClient ?? httpClients.CreateClient();

    private async Task TryPostAsync(string pageId, string body)
    {
        if (!_subscriptions.TryGetValue(pageId, out var subscription))
        {
            return;
        }

        try
        {
            await PostAsync(pageId, body, CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            _callbacks.Enqueue(new WhatsAppCallback(subscription.CallbackUrl, string.Empty, string.Empty, 0, ex.Message));
        }
    }

    /// <summary>The Graph API takes the token as a bearer header or an <c>access_token</c> parameter; the endpoints pass either here.</summary>
    private (int Status, JsonObject Body)? Authenticate(string? authorization, out string? token)
    {
        token = authorization is { } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a[7..].Trim() : authorization;
        return token is null or { Length: 0 } || Faults.Rejects(token)
            ? Error(401, 190, "Invalid OAuth access token - Cannot parse access token", null, "OAuthException")
            : null;
    }

    private (int Status, JsonObject Body)? Faulted() => Faults.Next(null) switch
    {
        Fault.ServerError => Error(500, 2, "An unexpected error has occurred. Please retry your request later.", null),
        Fault.RateLimited => Error(400, 613, "Calls to this api have exceeded the rate limit.", null),
        _ => null,
    };

    private (int Status, JsonObject Body) Validate(string token, JsonObject? body, out string? psid)
    {
        psid = body?["recipient"]?["id"]?.ToString();
        if (!_pageOfToken.TryGetValue(token, out var page))
        {
            return Error(400, 100, "(#100) The simulator does not know this page access token: fetch the page first (create the channel).", null);
        }

        if (string.IsNullOrEmpty(psid) || !psid.All(char.IsAsciiDigit))
        {
            return Error(400, 100, "(#100) No matching user found", null, subcode: 2018001);
        }

        var type = body!["messaging_type"]?.ToString();
        if (type is not ("RESPONSE" or "UPDATE" or "MESSAGE_TAG"))
        {
            return Error(400, 100, "(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}", null);
        }

        if (type == "MESSAGE_TAG" && !Tags.Contains(body["tag"]?.ToString()))
        {
            return Error(400, 100, "(#100) Param tag must be one of {" + string.Join(", ", Tags) + "}", null);
        }

        var message = body["message"] as JsonObject;
        if (message is null || (message["text"] is null) == (message["attachment"] is null))
        {
            return Error(400, 100, "(#100) Must send either message text or an attachment", null);
        }

        if (psid == UnavailablePsid)
        {
            return Error(400, 551, "This person isn't available right now.", null, subcode: 1545041);
        }

        if (type != "MESSAGE_TAG" && (!_windows.TryGetValue((page, psid), out var last) || DateTimeOffset.UtcNow - last > TimeSpan.FromHours(24)))
        {
            return Error(400, 10, "(#10) This message is sent outside of allowed window.", null, subcode: 2018278);
        }

        return (200, new JsonObject { ["recipient_id"] = psid, ["message_id"] = NewMid() });
    }

    private static (int Status, JsonObject Body) Error(int status, int code, string message, string? details, string type = "OAuthException", int? subcode = null)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code };
        if (subcode is not null)
        {
            error["error_subcode"] = subcode;
        }

        if (details is not null)
        {
            error["error_data"] = new JsonObject { ["details"] = details };
        }

        error["fbtrace_id"] = "A" + Guid.NewGuid().ToString("N")[..22];
        return (status, new JsonObject { ["error"] = error });
    }

    private static string Delivery(string pageId, string psid, IReadOnlyList<string> mids, DateTimeOffset watermark)
    {
        var delivery = new JsonObject { ["watermark"] = watermark.ToUnixTimeMilliseconds() };
        if (mids.Count > 0)
        {
            delivery["mids"] = new JsonArray(mids.Select(m => (JsonNode)JsonValue.Create(m)).ToArray());
        }

        return Notification(pageId, new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = psid },
            ["recipient"] = new JsonObject { ["id"] = pageId },
            ["delivery"] = delivery,
        });
    }

    private static string Notification(string pageId, JsonObject messaging) => new JsonObject
    {
        ["object"] = "page",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = pageId,
            ["time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["messaging"] = new JsonArray(messaging),
        }),
    }.ToJsonString();

    private static string NewMid() => "m_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
