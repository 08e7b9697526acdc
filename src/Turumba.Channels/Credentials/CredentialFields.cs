using Turumba.Platform;

namespace Turumba.Channels.Credentials;

/// <summary>The credential fields of each channel type : which are required, which are secret.</summary>
internal static class CredentialFields
{
    private static readonly Dictionary<string, string[]> RequiredByType = new(StringComparer.Ordinal)
    {
        [ChannelTypes.Sms] = ["account_sid", "auth_token"],
        [ChannelTypes.Smpp] = ["host", "port", "system_id", "password"],
        [ChannelTypes.Telegram] = ["bot_token"],
        [ChannelTypes.WhatsApp] = ["access_token", "phone_number_id"],
        [ChannelTypes.Messenger] = ["page_access_token", "page_id"],
        [ChannelTypes.Email] = ["smtp_host", "smtp_port", "from_address"],
    };

    private static readonly HashSet<string> Secret = new(StringComparer.Ordinal)
    {
        "api_secret", "auth_token", "password", "bot_token", "access_token", "app_secret", "verify_token", "page_access_token",
        "smtp_password", "imap_password", ChannelCredentials.WebhookSecret, "jasmin_password",
    };

    public static IReadOnlyList<string> Required(string channelType) => RequiredByType.GetValueOrDefault(channelType) ?? [];

    public static bool IsSecret(string field) => Secret.Contains(field);

    /// <summary>Never shown at all, even masked (our own generated secrets).</summary>
    public static bool IsHidden(string field) => field == ChannelCredentials.WebhookSecret;
}
