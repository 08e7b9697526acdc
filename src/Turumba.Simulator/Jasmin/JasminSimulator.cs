using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Jasmin;

/// <summary>One call to the simulated Jasmin HTTP API, with what it answered.</summary>
public sealed record JasminRequest(string Resource, IReadOnlyDictionary<string, string> Parameters, int StatusCode, string Answer, DateTimeOffset ReceivedAt);

/// <summary>One delivery receipt or incoming message the simulator posted, and what our webhook answered.</summary>
public sealed record JasminCallback(string Url, IReadOnlyDictionary<string, string> Parameters, int StatusCode, string ResponseBody);

/// <summary>What the simulated handset does with a message that Jasmin accepted.</summary>
public enum JasminOutcome
{
    Delivered,
    Undelivered,
    Silent,
}

/// <summary>
/// The state of a simulated Jasmin gateway, answering as Jasmin's HTTP API does
/// (jasmin/protocols/http/endpoints/send.py, errors.py): the same argument validation (unknown
/// arguments refused, the same patterns), the same <c>Success "…"</c> / <c>Error "…"</c> bodies
/// and status codes, and receipts posted to <c>dlr-url</c> (level 1 on submit_sm_resp, then the
/// handset receipt), retried until the webhook answers <c>ACK/Jasmin</c>. Every user exists; a
/// password given to <see cref="FaultPlan.RejectToken"/> fails authentication. Recipients ending
/// in <c>0412</c> have no route (412), in <c>0403</c> cannot be charged (403).
/// </summary>
public sealed partial class JasminSimulator(IHttpClientFactory httpClients)
{
    private const int CallbackAttempts = 3;

    private static readonly Dictionary<string, Regex?> SendArguments = new(StringComparer.Ordinal)
    {
        ["to"] = To(),
        ["from"] = null,
        ["coding"] = CodingPattern(),
        ["username"] = Credential(),
        ["password"] = Credential(),
        ["priority"] = PriorityPattern(),
        ["sdt"] = null,
        ["validity-period"] = Digits(),
        ["dlr"] = DlrPattern(),
        ["dlr-url"] = Url(),
        ["dlr-level"] = LevelPattern(),
        ["dlr-method"] = MethodPattern(),
        ["tags"] = null,
        ["content"] = null,
        ["hex-content"] = null,
        ["custom_tlvs"] = null,
    };

    private readonly ConcurrentQueue<JasminRequest> _requests = new();
    private readonly ConcurrentQueue<JasminCallback> _callbacks = new();
    private volatile string? _lastCallbackUrl;

    public FaultPlan Faults { get; } = new();

    public JasminOutcome Outcome { get; set; } = JasminOutcome.Delivered;

    /// <summary>How callbacks reach our webhooks; tests route them into an in-process host.</summary>
    public HttpMessageInvoker? CallbackClient { get; set; }

    public IReadOnlyList<JasminRequest> Requests => _requests.ToArray();

    public IReadOnlyList<JasminRequest> Sends => _requests.Where(r => r.Resource == "send").ToList();

    public IReadOnlyList<JasminCallback> Callbacks => _callbacks.ToArray();

    public void Reset()
    {
        _requests.Clear();
        _callbacks.Clear();
        Faults.Reset();
        Outcome = JasminOutcome.Delivered;
    }

    /// <summary>Answers <c>/send</c> (status, text/plain body); an accepted message's receipts follow in the background.</summary>
    public async Task<(int Status, string Body)> SendAsync(IReadOnlyDictionary<string, string> args)
    {
        var (status, body, id) = Validate(args) ?? Authenticate(args) ?? Faulted() ?? Route(args);
        await RecordAsync("send", args, status, body);
        if (id is not null && args.GetValueOrDefault("dlr-url") is { Length: > 0 } url && Outcome != JasminOutcome.Silent)
        {
            _lastCallbackUrl = url;
            var level = args.GetValueOrDefault("dlr-level") ?? "1";
            var content = args.GetValueOrDefault("content") ?? string.Empty;
            _ = Task.Run(() => ReportAsync(url, id, level, content));
        }

        return (status, body);
    }

    /// <summary>Answers <c>/balance</c> as Jasmin does: JSON, errors as a JSON string.</summary>
    public async Task<(int Status, string Body)> BalanceAsync(IReadOnlyDictionary<string, string> args)
    {
        (int, string) answer;
        if (!args.ContainsKey("username") || !args.ContainsKey("password"))
        {
            answer = (400, "\"Mandatory argument [username] is not found.\"");
        }
        else if (Faults.Rejects(args["password"]))
        {
            answer = (403, $"\"Authentication failure for username:{args["username"]}\"");
        }
        else
        {
            answer = (200, "{\"balance\": \"ND\", \"sms_count\": \"ND\"}");
        }

        await RecordAsync("balance", args, answer.Item1, answer.Item2);
        return answer;
    }

    /// <summary>Posts an incoming message (MO) as Jasmin's HTTP connector does; the default URL is the last <c>dlr-url</c> seen.</summary>
    public async Task<JasminCallback> DeliverMoAsync(string? url, string from, string to, string content, CancellationToken cancellationToken)
    {
        var target = url ?? _lastCallbackUrl
            ?? throw new InvalidOperationException("No webhook URL is known: give one, or send a message with a dlr-url first.");
        var gsm = content.All(c => c < 128);
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["from"] = from,
            ["to"] = to,
            ["origin-connector"] = "smppc01",
            ["priority"] = "1",
            ["coding"] = gsm ? "0" : "8",
            ["validity"] = "None",
            ["content"] = content,
            ["binary"] = Convert.ToHexString(gsm ? Encoding.ASCII.GetBytes(content) : Encoding.BigEndianUnicode.GetBytes(content)),
        };
        return await PostAsync(target, form, cancellationToken);
    }

    private static (int, string, string?)? Validate(IReadOnlyDictionary<string, string> args)
    {
        if (args.Count == 0)
        {
            return Error(400, "Mandatory arguments not found, please refer to the HTTPAPI specifications.");
        }

        if (args.Keys.FirstOrDefault(k => !SendArguments.ContainsKey(k)) is { } unknown)
        {
            return Error(400, $"Argument [{unknown}] is unknown.");
        }

        foreach (var (name, pattern) in SendArguments)
        {
            if (args.TryGetValue(name, out var value) && pattern is not null && !pattern.IsMatch(value))
            {
                return Error(400, $"Argument [{name}] has an invalid value: [{value}].");
            }
        }

        foreach (var mandatory in new[] { "to", "username", "password" })
        {
            if (!args.ContainsKey(mandatory))
            {
                return Error(400, $"Mandatory argument [{mandatory}] is not found.");
            }
        }

        return (args.ContainsKey("content"), args.ContainsKey("hex-content")) switch
        {
            (false, false) => Error(400, "content or hex-content not present."),
            (true, true) => Error(400, "content and hex-content cannot be used both in same request."),
            _ => null,
        };
    }

    private (int, string, string?)? Authenticate(IReadOnlyDictionary<string, string> args) =>
        Faults.Rejects(args["password"]) ? Error(403, $"Authentication failure for username:{args["username"]}") : null;

    private (int, string, string?)? Faulted() => Faults.Next(null) switch
    {
        Fault.ServerError => Error(500, "Cannot send submit_sm, check SMPPClientManagerPB log file for details"),
        Fault.RateLimited => Error(403, "User throughput exceeded"),
        _ => null,
    };

    private static (int, string, string?) Route(IReadOnlyDictionary<string, string> args)
    {
        var to = args["to"];
        if (to.EndsWith("0412", StringComparison.Ordinal))
        {
            return Error(412, "No route found");
        }

        if (to.EndsWith("0403", StringComparison.Ordinal))
        {
            return Error(403, "Cannot charge submit_sm, check RouterPB log file for details");
        }

        var id = Guid.NewGuid().ToString();
        return (200, $"Success \"{id}\"", id);
    }

    private async Task ReportAsync(string url, string id, string level, string content)
    {
        try
        {
            var now = DateTimeOffset.UtcNow.ToString("yyMMddHHmm", CultureInfo.InvariantCulture);
            if (level is "1" or "3")
            {
                await PostAsync(url, new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["id"] = id, ["message_status"] = "ESME_ROK", ["level"] = "1", ["connector"] = "smppc01",
                }, CancellationToken.None);
            }

            if (level is "2" or "3")
            {
                var delivered = Outcome == JasminOutcome.Delivered;
                await PostAsync(url, new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["id"] = id,
                    ["message_status"] = delivered ? "DELIVRD" : "UNDELIV",
                    ["level"] = "2",
                    ["connector"] = "smppc01",
                    ["id_smsc"] = Guid.NewGuid().ToString("N")[..10],
                    ["sub"] = "001",
                    ["dlvrd"] = delivered ? "001" : "000",
                    ["subdate"] = now,
                    ["donedate"] = now,
                    ["err"] = delivered ? "000" : "001",
                    ["text"] = content.Length > 20 ? content[..20] : content,
                }, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            _callbacks.Enqueue(new JasminCallback(url, new Dictionary<string, string>(), 0, ex.Message));
        }
    }

    // Jasmin throws a callback again until it reads ACK/Jasmin (jasmin/routing/throwers.py).
    private async Task<JasminCallback> PostAsync(string url, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        JasminCallback callback = null!;
        for (var attempt = 0; attempt < CallbackAttempts; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
            request.Headers.UserAgent.ParseAdd("Jasmin gateway/1.0 DLRThrower");
            using var response = CallbackClient is { } client
                ? await client.SendAsync(request, cancellationToken)
                : await httpClients.CreateClient().SendAsync(request, cancellationToken);
            callback = new JasminCallback(url, form, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            _callbacks.Enqueue(callback);
            if (callback.ResponseBody.Trim() == "ACK/Jasmin" || callback.StatusCode == 404)
            {
                break;
            }
        }

        return callback;
    }

    private async Task RecordAsync(string resource, IReadOnlyDictionary<string, string> args, int status, string body)
    {
        _requests.Enqueue(new JasminRequest(resource, args, status, body, DateTimeOffset.UtcNow));
        if (Faults.NextLatency() is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, CancellationToken.None);
        }
    }

    private static (int, string, string?) Error(int status, string reason) => (status, $"Error \"{reason}\"", null);

    [GeneratedRegex(@"^\+?\d+$")]
    private static partial Regex To();

    [GeneratedRegex("^(0|1|2|3|4|5|6|7|8|9|10|13|14)$")]
    private static partial Regex CodingPattern();

    [GeneratedRegex("^.{1,16}$")]
    private static partial Regex Credential();

    [GeneratedRegex("^[0-3]$")]
    private static partial Regex PriorityPattern();

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex Digits();

    [GeneratedRegex("^(yes|no)$")]
    private static partial Regex DlrPattern();

    [GeneratedRegex(@"^(http|https)\://.*$")]
    private static partial Regex Url();

    [GeneratedRegex("^[1-3]$")]
    private static partial Regex LevelPattern();

    [GeneratedRegex("^(get|post)$", RegexOptions.IgnoreCase)]
    private static partial Regex MethodPattern();
}
