using System.Globalization;
using System.Text;
using Turumba.Channels;

namespace Turumba.Adapters.Jasmin;

/// <summary>
/// Reads what Jasmin posts to our URLs (form-encoded; jasmin/routing/throwers.py): a delivery receipt
/// carries <c>id</c> (the id <c>/send</c> answered), <c>message_status</c> and <c>level</c> (1: the
/// SMSC's submit_sm_resp, <c>ESME_ROK</c> or an <c>ESME_R…</c> error; 2/3: the handset receipt,
/// <c>DELIVRD</c>, <c>UNDELIV</c>, …, with <c>err</c> and <c>text</c>); an incoming message (MO) carries
/// <c>from</c>, <c>to</c>, <c>content</c>, <c>coding</c> and <c>origin-connector</c>. Content is raw
/// short-message bytes, so values are decoded from the percent-encoding as bytes, not as UTF-8.
/// </summary>
internal static class JasminCallbackParser
{
    private static readonly HashSet<string> Failed = new(StringComparer.Ordinal) { "UNDELIV", "REJECTD", "EXPIRED", "DELETED", "UNKNOWN" };

    public static IReadOnlyList<StatusUpdate> ParseStatus(byte[] body, DateTimeOffset receivedAt)
    {
        var form = Form(body);
        if (!form.TryGetValue("message_status", out var raw))
        {
            return [];
        }

        var status = Text(raw);
        var id = Text(Require(form, "id"));
        var level = form.TryGetValue("level", out var l) ? Text(l) : "1";
        var eventId = $"{id}:{level}:{status}";
        if (status == "ESME_ROK" || status == "ACCEPTD")
        {
            // The SMSC took the message: it is on its way, which "sent" already says.
            return [];
        }

        if (status == "DELIVRD")
        {
            return [new StatusUpdate(eventId, id, "delivered", receivedAt)];
        }

        if (status.StartsWith("ESME_", StringComparison.Ordinal) || Failed.Contains(status))
        {
            var err = form.TryGetValue("err", out var e) ? Text(e) : null;
            var detail = err is { Length: > 0 } && err != "000" ? $" (err {err})" : string.Empty;
            return [new StatusUpdate(eventId, id, "failed", receivedAt, status, $"Jasmin reported the message {status}{detail}.")];
        }

        throw new FormatException($"message_status '{status}' is not one Jasmin sends.");
    }

    public static IReadOnlyList<InboundMessage> ParseInbound(byte[] body, DateTimeOffset receivedAt)
    {
        var form = Form(body);
        if (form.ContainsKey("message_status"))
        {
            return [];
        }

        var id = Text(Require(form, "id"));
        var coding = form.TryGetValue("coding", out var c) ? Text(c) : "0";
        var content = form.TryGetValue("binary", out var hex) && hex.Length > 0
            ? Convert.FromHexString(Text(hex))
            : form.GetValueOrDefault("content") ?? [];
        return [new InboundMessage(id, id, Text(Require(form, "from")), null, Decode(content, coding), [], receivedAt, null, "sms")];
    }

    // data_coding: 8 is UCS-2 (big-endian UTF-16), 3 Latin-1; Jasmin passes GSM and ASCII content on as text.
    private static string Decode(byte[] content, string coding) => coding switch
    {
        "8" or "UCS2" => Encoding.BigEndianUnicode.GetString(content),
        "3" or "LATIN_1" => Encoding.Latin1.GetString(content),
        _ => Encoding.UTF8.GetString(content),
    };

    private static Dictionary<string, byte[]> Form(byte[] body)
    {
        var form = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var pair in Encoding.ASCII.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Text(Unescape(equals < 0 ? pair : pair[..equals]));
            form[name] = Unescape(equals < 0 ? string.Empty : pair[(equals + 1)..]);
        }

        return form;
    }

    private static byte[] Unescape(string value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (value[i] == '%' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add((byte)value[i]);
            }
        }

        return [.. bytes];
    }

    private static string Text(byte[] value) => Encoding.UTF8.GetString(value);

    private static byte[] Require(Dictionary<string, byte[]> form, string name) =>
        form.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new FormatException($"The form has no {name}.");
}
