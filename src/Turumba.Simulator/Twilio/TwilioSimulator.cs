using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Twilio;

/// <summary>One REST call as the simulated Twilio received it.</summary>
public sealed record TwilioRequest(string Resource, string AccountSid, IReadOnlyDictionary<string, string> Parameters, int StatusCode, DateTimeOffset ReceivedAt);

/// <summary>A callback the simulator posted (status or incoming message) and how our webhook answered.</summary>
public sealed record TwilioCallback(string Url, IReadOnlyDictionary<string, string> Parameters, string Signature, int StatusCode, string ResponseBody);

/// <summary>What the simulator reports after accepting a message.</summary>
public enum TwilioOutcome
{
    /// <summary><c>sent</c>, then <c>delivered</c>.</summary>
    Delivered,

    /// <summary><c>sent</c>, then <c>undelivered</c> with error 30003 (unreachable handset).</summary>
    Undelivered,

    /// <summary>No status callbacks at all.</summary>
    Silent,
}

/// <summary>
/// The state of the simulated Twilio: the Messages and Accounts resources of the 2010-04-01 REST API
/// with Twilio's own success and error bodies, the faults to inject, and signed callbacks
/// (<c>X-Twilio-Signature</c>) to the status callback URLs it was given. "To" numbers follow Twilio's
/// test-credential magic numbers (https://www.twilio.com/docs/iam/test-credentials): +15005550001
/// invalid (21211), +15005550002 cannot route (21612), +15005550003 no permission (21408),
/// +15005550004 unsubscribed (21610), +15005550009 not a mobile number (21614).
/// </summary>
public sealed partial class TwilioSimulator(IHttpClientFactory httpClients)
{
    private static readonly Dictionary<string, (int Code, string Message)> MagicRecipients = new(StringComparer.Ordinal)
    {
        ["+15005550001"] = (21211, "The 'To' number +15005550001 is not a valid phone number."),
        ["+15005550002"] = (21612, "The 'To' phone number: +15005550002, is not currently reachable using the 'From' phone number via SMS."),
        ["+15005550003"] = (21408, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15005550003."),
        ["+15005550004"] = (21610, "Attempt to send to unsubscribed recipient"),
        ["+15005550009"] = (21614, "'To' number +15005550009 is not a valid mobile number"),
    };

    private readonly ConcurrentQueue<TwilioRequest> _requests = new();
    private readonly ConcurrentQueue<TwilioCallback> _callbacks = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _statusCallbackUrls = new(StringComparer.Ordinal);

    public FaultPlan Faults { get; } = new();

    public TwilioOutcome Outcome { get; set; } = TwilioOutcome.Delivered;

    /// <summary>
    /// Every status callback posted twice and the final one first (delivered, sent, delivered, sent), as
    /// Twilio may when its callbacks are retried and overtake each other: the chaos run's webhooks.
    /// </summary>
    public bool CallbacksTwiceOutOfOrder { get; set; }

    /// <summary>How callbacks reach our webhooks; tests route them into an in-process host. The signed URL is unchanged.</summary>
    public HttpMessageInvoker? CallbackClient { get; set; }

    public IReadOnlyList<TwilioRequest> Requests => _requests.ToArray();

    public IReadOnlyList<TwilioRequest> Messages => _requests.Where(r => r.Resource == "Messages").ToList();

    public IReadOnlyList<TwilioCallback> Callbacks => _callbacks.ToArray();

    public void Reset()
    {
        _requests.Clear();
        _callbacks.Clear();
        Faults.Reset();
        Outcome = TwilioOutcome.Delivered;
        CallbacksTwiceOutOfOrder = false;
    }

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidFormat();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    /// <summary>A fresh, well-formed account SID.</summary>
    public static string NewAccountSid() => "AC" + Guid.NewGuid().ToString("N");

    /// <summary>Answers <c>GET /2010-04-01/Accounts/{sid}.json</c>: (status, body, Retry-After seconds).</summary>
    public async Task<(int Status, JsonObject Body, int? RetryAfter)> FetchAccountAsync(string sid, string? authorization)
    {
        var (status, body, retryAfter) = Authenticate(sid, authorization) ?? Faulted(sid) ?? (200, Account(sid), null);
        return await RecordAsync("Accounts", sid, new Dictionary<string, string>(), status, body, retryAfter);
    }

    /// <summary>Answers <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c>; a created message's callbacks follow in the background.</summary>
    public async Task<(int Status, JsonObject Body, int? RetryAfter)> CreateMessageAsync(string sid, string? authorization, IReadOnlyDictionary<string, string> form)
    {
        var (status, body, retryAfter) = Authenticate(sid, authorization) ?? Faulted(sid) ?? Create(sid, form);
        var answer = await RecordAsync("Messages", sid, form, status, body, retryAfter);
        if (status == 201 && form.GetValueOrDefault("StatusCallback") is { Length: > 0 } callback && Outcome != TwilioOutcome.Silent)
        {
            _statusCallbackUrls[sid] = callback;
            var message = body;
            _ = Task.Run(() => ReportAsync(sid, callback, message));
        }

        return answer;
    }

    /// <summary>Posts an incoming message to <paramref name="url"/> (default: the account's last status callback URL), signed as Twilio signs it.</summary>
    public async Task<TwilioCallback> DeliverInboundAsync(string sid, string from, string to, string body, IReadOnlyList<string>? mediaUrls, string? url, CancellationToken cancellationToken)
    {
        var target = url ?? _statusCallbackUrls.GetValueOrDefault(sid)
            ?? throw new InvalidOperationException("No webhook URL is known for this account: give one, or send a message with a status callback first.");
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ToCountry"] = "US",
            ["SmsMessageSid"] = NewSid("SM"),
            ["NumMedia"] = (mediaUrls?.Count ?? 0).ToString(CultureInfo.InvariantCulture),
            ["From"] = from,
            ["To"] = to,
            ["Body"] = body,
            ["SmsStatus"] = "received",
            ["NumSegments"] = TwilioSegments.Count(body).ToString(CultureInfo.InvariantCulture),
            ["AccountSid"] = sid,
            ["ApiVersion"] = "2010-04-01",
        };
        form["MessageSid"] = form["SmsMessageSid"];
        form["SmsSid"] = form["SmsMessageSid"];
        for (var i = 0; i < (mediaUrls?.Count ?? 0); i++)
        {
            form[$"MediaUrl{i}"] = mediaUrls![i];
            form[$"MediaContentType{i}"] = "image/jpeg";
        }

        return await PostSignedAsync(sid, target, form, cancellationToken);
    }

    /// <summary>Posts a status callback for a message, signed with the account's auth token.</summary>
    public Task<TwilioCallback> DeliverStatusAsync(string sid, string url, string messageSid, string to, string status, string? errorCode, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SmsSid"] = messageSid,
            ["SmsStatus"] = status,
            ["MessageStatus"] = status,
            ["To"] = to,
            ["MessageSid"] = messageSid,
            ["AccountSid"] = sid,
            ["From"] = "+15005550006",
            ["ApiVersion"] = "2010-04-01",
        };
        if (errorCode is not null)
        {
            form["ErrorCode"] = errorCode;
        }

        return PostSignedAsync(sid, url, form, cancellationToken);
    }

    /// <summary>Twilio's signature: base64 HMAC-SHA1(auth token, URL + each parameter name and value, sorted by name).</summary>
    public static string Sign(string authToken, string url, IReadOnlyDictionary<string, string> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

#pragma warning disable CA5350 // Twilio's algorithm.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    private async Task ReportAsync(string sid, string url, JsonObject message)
    {
        var messageSid = message["sid"]!.ToString();
        var to = message["to"]!.ToString();
        try
        {
            if (CallbacksTwiceOutOfOrder)
            {
                var (final, code) = Outcome == TwilioOutcome.Undelivered ? ("undelivered", "30003") : ("delivered", (string?)null);
                foreach (var (status, error) in new[] { (final, code), ("sent", null), (final, code), ("sent", null) })
                {
                    await DeliverStatusAsync(sid, url, messageSid, to, status, error, CancellationToken.None);
                }

                return;
            }

            await DeliverStatusAsync(sid, url, messageSid, to, "sent", null, CancellationToken.None);
            if (Outcome == TwilioOutcome.Undelivered)
            {
                await DeliverStatusAsync(sid, url, messageSid, to, "undelivered", "30003", CancellationToken.None);
            }
            else
            {
                await DeliverStatusAsync(sid, url, messageSid, to, "delivered", null, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            // Like Twilio, a callback that cannot be delivered is dropped; what was tried is in Callbacks.
            _callbacks.Enqueue(new TwilioCallback(url, new Dictionary<string, string>(), string.Empty, 0, ex.Message));
        }
    }

    private async Task<TwilioCallback> PostSignedAsync(string sid, string url, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var token = _tokens.GetValueOrDefault(sid) ?? throw new InvalidOperationException("This account has not called the API yet, so its auth token is unknown.");
        var signature = Sign(token, url, form);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature);
        request.Headers.UserAgent.ParseAdd("TwilioProxy/1.1");
        using var response = CallbackClient is { } client
            ? await client.SendAsync(request, cancellationToken)
            : await httpClients.CreateClient().SendAsync(request, cancellationToken);
        var callback = new TwilioCallback(url, form, signature, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        _callbacks.Enqueue(callback);
        return callback;
    }

    private (int, JsonObject, int?)? Authenticate(string sid, string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Error(401, 20003, "Authenticate");
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            return Error(401, 20003, "Authenticate");
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? decoded : decoded[..colon];
        var token = colon < 0 ? string.Empty : decoded[(colon + 1)..];
        if (!AccountSidFormat().IsMatch(sid) || user != sid || token.Length == 0 || Faults.Rejects(token))
        {
            return Error(401, 20003, "Authenticate");
        }

        _tokens[sid] = token;
        return null;
    }

    private (int, JsonObject, int?)? Faulted(string sid) => Faults.Next(null) switch
    {
        Fault.ServerError => Error(500, 20500, "An internal server error has occurred"),
        Fault.RateLimited => (429, ErrorBody(429, 20429, "Too Many Requests"), Faults.RetryAfterSeconds),
        _ => null,
    };

    private static (int, JsonObject, int?) Create(string sid, IReadOnlyDictionary<string, string> form)
    {
        var to = form.GetValueOrDefault("To");
        if (string.IsNullOrEmpty(to))
        {
            return Error(400, 21604, "A 'To' phone number is required.");
        }

        var from = form.GetValueOrDefault("From");
        var service = form.GetValueOrDefault("MessagingServiceSid");
        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(service))
        {
            return Error(400, 21603, "A 'From' phone number is required.");
        }

        var body = form.GetValueOrDefault("Body") ?? string.Empty;
        if (body.Length == 0 && !form.ContainsKey("MediaUrl"))
        {
            return Error(400, 21602, "Message body is required.");
        }

        if (body.Length > 1600)
        {
            return Error(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
        }

        if (MagicRecipients.TryGetValue(to, out var magic))
        {
            return Error(400, magic.Code, magic.Message);
        }

        if (!E164().IsMatch(to))
        {
            return Error(400, 21211, $"The 'To' number {to} is not a valid phone number.");
        }

        var messageSid = NewSid(form.ContainsKey("MediaUrl") ? "MM" : "SM");
        var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        return (201, new JsonObject
        {
            ["account_sid"] = sid,
            ["api_version"] = "2010-04-01",
            ["body"] = body,
            ["date_created"] = now,
            ["date_sent"] = null,
            ["date_updated"] = now,
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,
            ["from"] = string.IsNullOrEmpty(service) ? from : null,
            ["messaging_service_sid"] = string.IsNullOrEmpty(service) ? null : service,
            ["num_media"] = form.ContainsKey("MediaUrl") ? "1" : "0",
            // Twilio assigns a sender to a Messaging Service later, and answers 0 segments until then.
            ["num_segments"] = string.IsNullOrEmpty(service) ? TwilioSegments.Count(body).ToString(CultureInfo.InvariantCulture) : "0",
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = messageSid,
            ["status"] = string.IsNullOrEmpty(service) ? "queued" : "accepted",
            ["subresource_uris"] = new JsonObject { ["media"] = $"/2010-04-01/Accounts/{sid}/Messages/{messageSid}/Media.json" },
            ["to"] = to,
            ["uri"] = $"/2010-04-01/Accounts/{sid}/Messages/{messageSid}.json",
        }, null);
    }

    private async Task<(int, JsonObject, int?)> RecordAsync(string resource, string sid, IReadOnlyDictionary<string, string> form, int status, JsonObject body, int? retryAfter)
    {
        _requests.Enqueue(new TwilioRequest(resource, sid, form, status, DateTimeOffset.UtcNow));
        if (Faults.NextLatency() is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, CancellationToken.None);
        }

        return (status, body, retryAfter);
    }

    private static JsonObject Account(string sid) => new()
    {
        ["auth_token"] = "[Redacted]",
        ["date_created"] = "Thu, 01 Jan 2026 00:00:00 +0000",
        ["date_updated"] = "Thu, 01 Jan 2026 00:00:00 +0000",
        ["friendly_name"] = "Turumba simulator account",
        ["owner_account_sid"] = sid,
        ["sid"] = sid,
        ["status"] = "active",
        ["subresource_uris"] = new JsonObject { ["messages"] = $"/2010-04-01/Accounts/{sid}/Messages.json" },
        ["type"] = "Full",
        ["uri"] = $"/2010-04-01/Accounts/{sid}.json",
    };

    private static (int, JsonObject, int?) Error(int status, int code, string message) => (status, ErrorBody(status, code, message), null);

    private static JsonObject ErrorBody(int status, int code, string message) => new()
    {
        ["code"] = code,
        ["message"] = message,
        ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
        ["status"] = status,
    };

    private static string NewSid(string prefix) => prefix + Guid.NewGuid().ToString("N");
}
