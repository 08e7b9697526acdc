namespace Turumba.Adapters.Meta;

/// <summary>Settings under <c>Turumba:Adapters:Meta</c>, shared by the WhatsApp Cloud API and Messenger adapters.</summary>
internal sealed class MetaOptions
{
    public const string Section = "Turumba:Adapters:Meta";

    /// <summary>The Graph API; a channel's <c>api_base_url</c> overrides it (simulator).</summary>
    public Uri BaseUrl { get; set; } = new("https://graph.facebook.com");

    /// <summary>The Graph API version in every path; a channel's <c>api_version</c> overrides it.</summary>
    public string ApiVersion { get; set; } = "v21.0";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long after a contact's last message free-form messages may go (Meta: 24 hours).</summary>
    public TimeSpan CustomerServiceWindow { get; set; } = TimeSpan.FromHours(24);
}
