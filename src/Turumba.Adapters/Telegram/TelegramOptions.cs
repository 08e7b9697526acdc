namespace Turumba.Adapters.Telegram;

/// <summary>Settings under <c>Turumba:Adapters:Telegram</c>.</summary>
internal sealed class TelegramOptions
{
    public const string Section = "Turumba:Adapters:Telegram";

    /// <summary>The Bot API server; a channel's <c>api_base_url</c> overrides it (local Bot API server, simulator).</summary>
    public Uri BaseUrl { get; set; } = new("https://api.telegram.org");

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}
