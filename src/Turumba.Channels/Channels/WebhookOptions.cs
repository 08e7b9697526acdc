namespace Turumba.Channels.Channels;

/// <summary>Settings under <c>Turumba:Webhooks</c>.</summary>
internal sealed class WebhookOptions
{
    public const string Section = "Turumba:Webhooks";

    /// <summary>
    /// The public base URL providers reach this service's webhooks at (e.g. https://hooks.example.com).
    /// Without it, channels are not registered with providers that push updates (Telegram).
    /// </summary>
    public string? BaseUrl { get; set; }
}
