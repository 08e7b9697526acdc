using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Templates;

internal sealed class Template : TenantEntity
{
    public required string Name { get; set; }

    public required string Body { get; set; }

    /// <summary>Email only: the subject, with placeholders like the body.</summary>
    public string? Subject { get; set; }

    /// <summary>Email only: an HTML body, sent with <see cref="Body"/> as its plain-text alternative.</summary>
    public string? HtmlBody { get; set; }

    public string? Category { get; set; }

    public string? ChannelType { get; set; }

    public string? Language { get; set; }

    /// <summary>Placeholder names found in <see cref="Body"/>, <see cref="Subject"/> and <see cref="HtmlBody"/>, upper-cased; kept in step on every change of them.</summary>
    public List<string> Variables { get; set; } = [];

    public Dictionary<string, string> DefaultValues { get; set; } = [];

    public FallbackStrategy FallbackStrategy { get; set; }

    public ApprovalStatus ApprovalStatus { get; set; } = ApprovalStatus.Approved;

    /// <summary>The provider's template name (WhatsApp message templates).</summary>
    public string? ExternalTemplateId { get; set; }

    public bool IsActive { get; set; } = true;

    public Guid? CreatedByUserId { get; set; }

    public CompiledTemplate Compile() => CompiledTemplate.Compile(Body);

    /// <summary>The variables of the body, then those only the subject or HTML body use.</summary>
    public List<string> AllVariables() =>
        [.. Compile().Variables
            .Concat(Subject is null ? [] : CompiledTemplate.Compile(Subject).Variables)
            .Concat(HtmlBody is null ? [] : CompiledTemplate.Compile(HtmlBody).Variables)
            .Distinct(StringComparer.Ordinal)];

    public TemplateSnapshot Snapshot() => new(Id, Body, Compile(), FallbackStrategy, TemplateRenderer.CaseInsensitive(DefaultValues),
        ExternalTemplateId is { Length: > 0 } external
            ? new ProviderTemplateLink(external, Language, ApprovalStatus == ApprovalStatus.Approved, ApprovalStatus.ToString().ToLowerInvariant())
            : null)
    {
        Subject = this.Subject is { Length: > 0 } subject ? CompiledTemplate.Compile(subject) : null,
        HtmlBody = this.HtmlBody is { Length: > 0 } html ? CompiledTemplate.Compile(html) : null,
    };
}

internal enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,
}
