namespace Turumba.Channels.Channels.Templates;

/// <summary>Settings under <c>Turumba:Channels:TemplateSync</c>.</summary>
internal sealed class TemplateSyncOptions
{
    public const string Section = "Turumba:Channels:TemplateSync";

    /// <summary>
    /// How often role <c>maintenance</c> syncs every enabled channel's provider templates (WhatsApp's
    /// WABA): a template Meta approves, pauses or disables shows up within this time. Zero turns the
    /// periodic sync off (create and <c>POST /v1/channels/{id}/templates/sync</c> still sync).
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
