namespace Turumba.Adapters.Twilio;

/// <summary>Settings under <c>Turumba:Adapters:Twilio</c>.</summary>
internal sealed class TwilioOptions
{
    public const string Section = "Turumba:Adapters:Twilio";

    /// <summary>Twilio's REST API; a channel's <c>api_base_url</c> overrides it (simulator).</summary>
    public Uri BaseUrl { get; set; } = new("https://api.twilio.com");

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// <c>Turumba:Webhooks:BaseUrl</c>: each message's <c>StatusCallback</c> is
    /// <c>{base}/webhooks/sms/{channel_id}</c>. Without it, Twilio is not asked for status callbacks.
    /// </summary>
    public string? WebhookBaseUrl { get; set; }
}
