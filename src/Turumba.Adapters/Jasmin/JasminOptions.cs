namespace Turumba.Adapters.Jasmin;

/// <summary>Settings under <c>Turumba:Adapters:Jasmin</c>. Each channel names its Jasmin in <c>credentials.base_url</c>.</summary>
internal sealed class JasminOptions
{
    public const string Section = "Turumba:Adapters:Jasmin";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// <c>Turumba:Webhooks:BaseUrl</c>: each message's <c>dlr-url</c> is
    /// <c>{base}/webhooks/smpp/{channel_id}?token={channel secret}</c>. Without it, no receipts are asked for.
    /// </summary>
    public string? WebhookBaseUrl { get; set; }
}
