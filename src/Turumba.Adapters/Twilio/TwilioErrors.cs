using System.Globalization;
using System.Net;
using System.Text.Json;
using Turumba.Channels;

namespace Turumba.Adapters.Twilio;

/// <summary>
/// Turns a failed Twilio REST answer into the adapter error that tells dispatch what to do, by
/// Twilio's error <c>code</c> first (https://www.twilio.com/docs/api/errors) and the HTTP status second.
/// </summary>
internal static class TwilioErrors
{
    /// <summary>The recipient replied STOP: Twilio refuses every further message to it from this sender.</summary>
    public const int Unsubscribed = 21610;

    /// <summary>The suppression reason an unsubscribed recipient goes on the list with.</summary>
    public const string OptOutReason = "opt_out";

    /// <summary>Codes that say the recipient is not one Twilio can message: never worth a retry.</summary>
    private static readonly HashSet<int> InvalidRecipient =
    [
        21211, // invalid 'To' phone number
        21214, // 'To' number cannot be reached
        21217, // phone number does not appear to be valid
        21407, // not SMS-capable
        21408, // no permission to send to this region
        21612, // cannot route to this number
        21614, // 'To' number is not a valid mobile number
        21635, // landline
        Unsubscribed,
    ];

    private static readonly HashSet<int> Auth = [20003, 20005, 20008];

    public static ChannelAdapterException Map(HttpStatusCode status, string? content, TimeSpan? retryAfter)
    {
        var error = TryRead(content);
        var http = (int)status;
        var code = error?.Code;
        var providerCode = (code ?? http).ToString(CultureInfo.InvariantCulture);
        var message = error?.Message is { Length: > 0 } text ? text : $"HTTP {http}";
        if (code is { } known && Auth.Contains(known) || http is 401)
        {
            return new ProviderAuthException($"Twilio refused the credentials ({providerCode}): {message}", providerCode);
        }

        if (code is 20429 || http is 429)
        {
            return new ProviderRateLimitException($"Twilio asks to slow down ({providerCode}): {message}", retryAfter ?? TimeSpan.FromSeconds(1), providerCode);
        }

        if (http >= 500)
        {
            return new ProviderConnectionException($"Twilio failed on its side ({providerCode}): {message}", providerCode);
        }

        if (code is Unsubscribed)
        {
            return new InvalidPayloadException($"Twilio refused the recipient ({providerCode}): {message}", providerCode) { SuppressRecipient = OptOutReason };
        }

        return code is { } recipient && InvalidRecipient.Contains(recipient)
            ? new InvalidPayloadException($"Twilio refused the recipient ({recipient}): {message}", providerCode)
            : new InvalidPayloadException($"Twilio refused the message ({providerCode}): {message}", providerCode);
    }

    /// <summary>Whether a failure code means the address asked not to be messaged.</summary>
    public static bool IsOptOut(string? code) => code == Unsubscribed.ToString(CultureInfo.InvariantCulture);

    private static TwilioError? TryRead(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TwilioError>(content, TwilioJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
