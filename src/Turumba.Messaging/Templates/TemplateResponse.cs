namespace Turumba.Messaging.Templates;

internal sealed record TemplateResponse(
    Guid Id,
    Guid AccountId,
    string Name,
    string Body,
    string? Subject,
    string? HtmlBody,
    string? Category,
    string? ChannelType,
    string? Language,
    IReadOnlyList<string> Variables,
    IReadOnlyDictionary<string, string> DefaultValues,
    FallbackStrategy FallbackStrategy,
    ApprovalStatus ApprovalStatus,
    string? ExternalTemplateId,
    bool IsActive,
    Guid? CreatedByUserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static TemplateResponse From(Template t) => new(
        t.Id, t.AccountId, t.Name, t.Body, t.Subject, t.HtmlBody, t.Category, t.ChannelType, t.Language, t.Variables, t.DefaultValues,
        t.FallbackStrategy, t.ApprovalStatus, t.ExternalTemplateId, t.IsActive, t.CreatedByUserId, t.CreatedAt, t.UpdatedAt);
}
