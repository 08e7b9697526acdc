using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Turumba.Channels;

namespace Turumba.Adapters.Twilio;

/// <summary>
/// Reads Twilio's form posts: a status callback carries <c>MessageStatus</c>
/// (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status), an incoming
/// message does not and has <c>SmsStatus=received</c>, <c>Body</c>, <c>NumMedia</c> and <c>MediaUrl{n}</c>
/// (https://www.twilio.com/docs/messaging/guides/webhook-request).
/// </summary>
internal static class TwilioCallbackParser
{
    private static readonly Dictionary<string, string> Statuses = new(StringComparer.Ordinal)
    {
        ["sent"] = "sent",
        ["delivered"] = "delivered",
        ["read"] = "read",
        ["undelivered"] = "failed",
        ["failed"] = "failed",
    };

    /// <summary>The form's parameters in the order they came (repeated names kept), as the signature needs them.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parameters(byte[] body)
    {
        var form = new FormReader(Encoding.UTF8.GetString(body)).ReadForm();
        return form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? string.Empty))).ToList();
    }

    public static IReadOnlyList<StatusUpdate> ParseStatus(byte[] body, DateTimeOffset receivedAt)
    {
        var form = Form(body);
        if (!form.TryGetValue("MessageStatus", out var status))
        {
            return [];
        }

        var sid = Require(form, "MessageSid");
        if (!Statuses.TryGetValue(status, out var ours))
        {
            // queued, accepted, sending, scheduled: steps before an outcome, nothing to record.
            return [];
        }

        var errorCode = form.GetValueOrDefault("ErrorCode") is { Length: > 0 } code ? code : null;
        var errorMessage = ours == "failed"
            ? $"Twilio reported the message {status}" + (errorCode is null ? "." : $" (error {errorCode}).")
            : null;
        // 21610 on an undelivered/failed callback: the recipient replied STOP; Twilio refuses this sender from now on.
        var suppress = ours == "failed" && TwilioErrors.IsOptOut(errorCode) ? TwilioErrors.OptOutReason : null;
        return [new StatusUpdate($"{sid}:{status}", sid, ours, receivedAt, errorCode, errorMessage, form.GetValueOrDefault("To"), suppress)];
    }

    public static IReadOnlyList<InboundMessage> ParseInbound(byte[] body, DateTimeOffset receivedAt)
    {
        var form = Form(body);
        if (form.ContainsKey("MessageStatus"))
        {
            return [];
        }

        var sid = Require(form, "MessageSid");
        var media = new List<string>();
        var count = int.TryParse(form.GetValueOrDefault("NumMedia"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        for (var i = 0; i < count; i++)
        {
            if (form.GetValueOrDefault($"MediaUrl{i}") is { Length: > 0 } url)
            {
                media.Add(url);
            }
        }

        return [new InboundMessage(sid, sid, Require(form, "From"), null, form.GetValueOrDefault("Body"), media, receivedAt, null, media.Count > 0 ? "mms" : "sms")];
    }

    private static Dictionary<string, string> Form(byte[] body) =>
        new FormReader(Encoding.UTF8.GetString(body)).ReadForm().ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);

    private static string Require(Dictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new FormatException($"The form has no {name}.");
}
