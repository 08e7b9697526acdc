namespace Turumba.Platform;

/// <summary>The channel types the platform sends through; each has its own dispatch queue.</summary>
public static class ChannelTypes
{
    public const string Sms = "sms";
    public const string Smpp = "smpp";
    public const string Telegram = "telegram";
    public const string WhatsApp = "whatsapp";
    public const string Messenger = "messenger";
    public const string Email = "email";

    public static IReadOnlyList<string> All { get; } = [Sms, Smpp, Telegram, WhatsApp, Messenger, Email];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type);
}
