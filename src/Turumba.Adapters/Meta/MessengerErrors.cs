using Turumba.Channels;

namespace Turumba.Adapters.Meta;

/// <summary>
/// Send API errors by Meta's <c>error.code</c>
/// (https://developers.facebook.com/docs/messenger-platform/error-codes), the HTTP status second.
/// </summary>
internal static class MessengerErrors
{
    /// <summary>"This person isn't available right now": the person blocked the page or left Messenger.</summary>
    public const int PersonUnavailable = 551;

    /// <summary>"(#10) This message is sent outside of allowed window", with subcode 2018278.</summary>
    public const int OutsideWindowCode = 10;

    public const int OutsideWindowSubcode = 2018278;

    /// <summary>The suppression reason of a person who cannot be messaged any more.</summary>
    public const string Blocked = "blocked";

    /// <summary>Meta gives no Retry-After; its Send API limits are per page and per minute.</summary>
    private static readonly TimeSpan RateLimitPause = TimeSpan.FromSeconds(30);

    private static readonly HashSet<int> RateLimited = [4, 32, 613];

    private static readonly HashSet<int> Retryable = [1, 2];

    public static ChannelAdapterException Map(MetaGraphError error)
    {
        var code = error.Code;
        var providerCode = error.ProviderCode;
        if (code is 190 || code is null && error.HttpStatus is 401)
        {
            return new ProviderAuthException($"Meta refused the page access token ({providerCode}): {error.Text}", providerCode);
        }

        if (code is PersonUnavailable)
        {
            return new InvalidPayloadException($"Meta says the person cannot be messaged ({providerCode}): {error.Text}", providerCode)
            {
                SuppressRecipient = Blocked,
            };
        }

        if (code is OutsideWindowCode || error.Subcode is OutsideWindowSubcode)
        {
            return OutsideWindowError($"Meta says the message is outside the allowed window ({providerCode}/{error.Subcode}): {error.Text}");
        }

        if (code is { } limited && RateLimited.Contains(limited) || code is null && error.HttpStatus is 429)
        {
            return new ProviderRateLimitException($"Meta asks to slow down ({providerCode}): {error.Text}", RateLimitPause, providerCode);
        }

        if (code is { } transient && Retryable.Contains(transient) || error.HttpStatus >= 500)
        {
            return new ProviderConnectionException($"Meta failed on its side ({providerCode}): {error.Text}", providerCode);
        }

        return new InvalidPayloadException($"Meta refused the message ({providerCode}): {error.Text}", providerCode);
    }

    public static InvalidPayloadException OutsideWindowError(string why) => new(
        $"{why}. Outside the 24-hour window a Messenger message needs a message tag: set the channel's 'message_tag' " +
        $"credential to one of {string.Join(", ", MessengerMessages.Tags)} where the message fits that tag, or wait for the person to write.",
        WhatsAppErrors.OutsideWindow);
}
