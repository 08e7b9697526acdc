using Turumba.Contacts;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging;

/// <summary>A template ready to render many times; every rendering (a send, a group send's fan-out, a preview) goes through <see cref="Render"/>.</summary>
public sealed record TemplateSnapshot(
    Guid Id, string Body, CompiledTemplate Compiled, FallbackStrategy FallbackStrategy, IReadOnlyDictionary<string, string> Defaults,
    ProviderTemplateLink? ProviderTemplate = null)
{
    /// <summary>The text for <paramref name="contact"/>; <paramref name="customValues"/> should be keyed case-insensitively (<see cref="TemplateRenderer.CaseInsensitive"/>).</summary>
    public RenderResult Render(IReadOnlyDictionary<string, string>? customValues, DirectoryContact? contact) =>
        TemplateRenderer.Render(Compiled, FallbackStrategy, new RenderValues(customValues, contact, Defaults));

    /// <summary>Email: the compiled subject, when the template has one.</summary>
    public CompiledTemplate? Subject { get; init; }

    /// <summary>Email: the compiled HTML body, when the template has one.</summary>
    public CompiledTemplate? HtmlBody { get; init; }

    /// <summary>
    /// The template's email parts for <paramref name="contact"/> as message metadata (<c>subject</c>,
    /// <c>html_body</c>), added to <paramref name="metadata"/> where it does not set them already;
    /// false when the fallback strategy skips the contact. Line breaks in a rendered subject (from a
    /// contact's data) become spaces: a subject is one header line.
    /// </summary>
    public bool AddEmailParts(System.Text.Json.Nodes.JsonObject metadata, IReadOnlyDictionary<string, string>? customValues, DirectoryContact? contact)
    {
        var values = new RenderValues(customValues, contact, Defaults);
        if (Subject is not null && !metadata.ContainsKey("subject"))
        {
            var subject = TemplateRenderer.Render(Subject, FallbackStrategy, values);
            if (subject.Skipped)
            {
                return false;
            }

            metadata["subject"] = subject.Text!.ReplaceLineEndings(" ");
        }

        if (HtmlBody is not null && !metadata.ContainsKey("html_body"))
        {
            var html = TemplateRenderer.Render(HtmlBody, FallbackStrategy, values);
            if (html.Skipped)
            {
                return false;
            }

            metadata["html_body"] = html.Text!;
        }

        return true;
    }

    /// <summary>
    /// The approved provider template this template is linked to, as message metadata
    /// (<c>provider_template_name</c>, <c>_language</c>, <c>_parameters</c>: the variables for
    /// <paramref name="contact"/> in order of first use), for the adapter to send where free-form text
    /// may not go; false (nothing added) when there is no link or it is not approved.
    /// </summary>
    public bool AddProviderTemplate(System.Text.Json.Nodes.JsonObject metadata, IReadOnlyDictionary<string, string>? customValues, DirectoryContact? contact)
    {
        if (ProviderTemplate is not { Approved: true } link)
        {
            return false;
        }

        metadata["provider_template_name"] = link.Name;
        if (link.Language is { Length: > 0 } language)
        {
            metadata["provider_template_language"] = language;
        }

        metadata["provider_template_parameters"] = System.Text.Json.JsonSerializer.Serialize(VariableValues(customValues, contact));
        return true;
    }

    /// <summary>Each variable's value for <paramref name="contact"/>, in order of first use: a provider template's parameters {{1}}, {{2}}, ….</summary>
    public IReadOnlyList<string> VariableValues(IReadOnlyDictionary<string, string>? customValues, DirectoryContact? contact) =>
        Compiled.Variables
            .Select(v => TemplateRenderer.Render(CompiledTemplate.Compile("{" + v + "}"), FallbackStrategy.UseDefault, new RenderValues(customValues, contact, Defaults)).Text ?? string.Empty)
            .ToList();
}

/// <summary>The provider's own template a Turumba template stands for (a WhatsApp message template), used where free-form text may not go.</summary>
public sealed record ProviderTemplateLink(string Name, string? Language, bool Approved, string ApprovalStatus)
{
    /// <summary>Why a send naming it is refused when it is not approved (a 422 on <c>template_id</c>).</summary>
    public string NotApprovedReason => $"The template's WhatsApp template '{Name}' is {ApprovalStatus}, not approved: it cannot be sent until WhatsApp approves it.";
}

/// <summary>The status a channel last synced from its provider account, applied to a template's link; single and group sends both ask.</summary>
public static class ProviderTemplateStatus
{
    /// <summary>
    /// On a WhatsApp channel, <paramref name="template"/> with its link's status as the channel last synced it from
    /// the WABA, which is Meta's word; the Turumba template's own approval_status counts only for a template never synced.
    /// </summary>
    public static async Task<TemplateSnapshot?> WithSyncedStatusAsync(
        this Channels.IChannelTemplates synced, Channels.ChannelSnapshot? channel, TemplateSnapshot? template, CancellationToken cancellationToken)
    {
        if (channel?.ChannelType != Platform.ChannelTypes.WhatsApp || template?.ProviderTemplate is not { } link
            || await synced.SyncedStatusAsync(channel.Id, link.Name, link.Language, cancellationToken) is not { } status)
        {
            return template;
        }

        return template with { ProviderTemplate = link with { Approved = status == "APPROVED", ApprovalStatus = status.ToLowerInvariant() + " in the WhatsApp Business Account" } };
    }
}

/// <summary>Templates, for sends in this module and others (group sends): read one compiled, or create the auto-generated one of a message body.</summary>
public interface ITemplateCatalog
{
    Task<TemplateSnapshot?> GetAsync(TurumbaDbContext db, Guid accountId, Guid templateId, CancellationToken cancellationToken);

    /// <summary>Several templates in one query, each only in the account asked for it with (a batch of sends of several accounts).</summary>
    Task<IReadOnlyDictionary<(Guid AccountId, Guid TemplateId), TemplateSnapshot>> GetManyAsync(
        TurumbaDbContext db, IReadOnlyCollection<(Guid AccountId, Guid TemplateId)> templates, CancellationToken cancellationToken);

    /// <summary>Adds (not saves) a template of category <c>auto-generated</c> for <paramref name="body"/> to the caller's unit of work.</summary>
    Guid AddAutoGenerated(TurumbaDbContext db, Guid accountId, string name, string body, string? channelType);
}
