using Turumba.Channels;

namespace Turumba.Adapters.Meta;

/// <summary>
/// WhatsApp Cloud API errors by Meta's <c>error.code</c>
/// (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes), the HTTP status second.
/// </summary>
internal static class WhatsAppErrors
{
    /// <summary>More than 24 hours since the customer last wrote: only a template may go.</summary>
    public const int ReEngagement = 131047;

    /// <summary>Our code for a free-form message that may not go because the window is closed.</summary>
    public const string OutsideWindow = "outside_customer_service_window";

    /// <summary>Meta gives no Retry-After; its throughput limits are per second to per minute.</summary>
    private static readonly TimeSpan RateLimitPause = TimeSpan.FromSeconds(30);

    private static readonly HashSet<int> RateLimited = [4, 80007, 130429, 131056];

    private static readonly HashSet<int> Retryable = [1, 2, 131000, 131016];

    public static ChannelAdapterException Map(MetaGraphError error)
    {
        var code = error.Code;
        var providerCode = error.ProviderCode;
        if (code is 190 || code is null && error.HttpStatus is 401)
        {
            return new ProviderAuthException($"Meta refused the access token ({providerCode}): {error.Text}", providerCode);
        }

        if (code is { } limited && RateLimited.Contains(limited) || code is null && error.HttpStatus is 429)
        {
            return new ProviderRateLimitException($"Meta asks to slow down ({providerCode}): {error.Text}", RateLimitPause, providerCode);
        }

        if (code is ReEngagement)
        {
            return OutsideWindowError($"Meta says the customer-service window is closed ({ReEngagement}): {error.Text}");
        }

        if (code is { } transient && Retryable.Contains(transient) || error.HttpStatus >= 500)
        {
            return new ProviderConnectionException($"Meta failed on its side ({providerCode}): {error.Text}", providerCode);
        }

        return new InvalidPayloadException($"Meta refused the message ({providerCode}): {error.Text}", providerCode);
    }

    public static InvalidPayloadException OutsideWindowError(string why) => new(
        $"{why}. Only a template message may go: link the Turumba template to an approved WhatsApp template " +
        "(external_template_id and language) and send with template_id, or wait for the contact to write.", OutsideWindow);
}
