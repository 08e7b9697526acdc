using System.Net;
using System.Text.RegularExpressions;
using Turumba.Channels;

namespace Turumba.Adapters.Jasmin;

/// <summary>
/// Reads what Jasmin's HTTP API answers <c>/send</c>: <c>Success "&lt;message id&gt;"</c>, or
/// <c>Error "&lt;reason&gt;"</c> with a status that says what kind of error it is
/// (jasmin/protocols/http/errors.py): 400 bad arguments or credential filters, 403 authentication,
/// charging or throughput, 412 no route or no bound connector, 5xx server trouble.
/// </summary>
internal static partial class JasminAnswers
{
    /// <summary>The message id of a successful answer.</summary>
    public static string? MessageId(string body) => SuccessAnswer().Match(body.Trim()) is { Success: true } m ? m.Groups["id"].Value : null;

    /// <summary>The reason inside <c>Error "…"</c>, or the whole body when Jasmin (or a proxy) answered something else.</summary>
    public static string Reason(string body) => ErrorAnswer().Match(body.Trim()) is { Success: true } m ? m.Groups["reason"].Value : body.Trim();

    public static ChannelAdapterException Map(HttpStatusCode status, string body, string? recipient = null)
    {
        var reason = Reason(body);
        var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (int)status switch
        {
            403 when reason.StartsWith("Authentication failure", StringComparison.Ordinal) =>
                new ProviderAuthException($"Jasmin refused the credentials: {reason}", code),
            403 when reason.Contains("throughput exceeded", StringComparison.OrdinalIgnoreCase) =>
                new ProviderRateLimitException($"Jasmin asks to slow down: {reason}", TimeSpan.FromSeconds(1), "throughput"),
            403 when reason.StartsWith("Cannot charge", StringComparison.Ordinal) =>
                new InvalidPayloadException($"Jasmin could not charge the message: {reason}", "charging"),
            412 when reason.Contains("no bound connector", StringComparison.OrdinalIgnoreCase) =>
                new ProviderConnectionException($"Jasmin has no bound SMPP connector for the route: {reason}", code),
            412 => new InvalidPayloadException($"Jasmin has no route for {recipient ?? "the recipient"}: {reason}", code),
            >= 500 => new ProviderConnectionException($"Jasmin failed on its side ({code}): {reason}", code),
            _ => new InvalidPayloadException($"Jasmin refused the message ({code}): {reason}", code),
        };
    }

    [GeneratedRegex("^Success \"(?<id>[^\"]+)\"$")]
    private static partial Regex SuccessAnswer();

    [GeneratedRegex("^Error \"(?<reason>.*)\"$", RegexOptions.Singleline)]
    private static partial Regex ErrorAnswer();
}
