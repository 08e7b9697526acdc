using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Templates;

internal sealed class Template : TenantEntity
{
    public required string Name { get; set; }

    public required string Body { get; set; }

    public string? Category { get; set; }

    public string? ChannelType { get; set; }

    public string? Language { get; set; }

    /// <summary>Placeholder names found in <see cref="Body"/>, upper-cased; kept in step on every change of the body.</summary>
    public List<string> Variables { get; set; } = [];

    public Dictionary<string, string> DefaultValues { get; set; } = [];

    public FallbackStrategy FallbackStrategy { get; set; }

    public ApprovalStatus ApprovalStatus { get; set; } = ApprovalStatus.Approved;

    /// <summary>The provider's template name (WhatsApp message templates).</summary>
    public string? ExternalTemplateId { get; set; }

    public bool IsActive { get; set; } = true;

    public Guid? CreatedByUserId { get; set; }

    public CompiledTemplate Compile() => CompiledTemplate.Compile(Body);

    public TemplateSnapshot Snapshot() => new(Id, Body, Compile(), FallbackStrategy, TemplateRenderer.CaseInsensitive(DefaultValues),
        ExternalTemplateId is { Length: > 0 } external
            ? new ProviderTemplateLink(external, Language, ApprovalStatus == ApprovalStatus.Approved, ApprovalStatus.ToString().ToLowerInvariant())
            : null);
}

internal enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,
}
