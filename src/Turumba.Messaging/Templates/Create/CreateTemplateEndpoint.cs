using FluentValidation;
using Microsoft.AspNetCore.Http;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Messaging.Templates.Create;

internal sealed record CreateTemplateRequest(
    string? Name,
    string? Body,
    string? Subject,
    string? HtmlBody,
    string? Category,
    string? ChannelType,
    string? Language,
    Dictionary<string, string>? DefaultValues,
    FallbackStrategy? FallbackStrategy,
    ApprovalStatus? ApprovalStatus,
    string? ExternalTemplateId,
    bool? IsActive,
    Guid? CreatedByUserId);

internal sealed class CreateTemplateValidator : AbstractValidator<CreateTemplateRequest>
{
    public CreateTemplateValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        // An email template may have only an HTML body; its text part is derived from the HTML when sent.
        RuleFor(r => r.Body).NotEmpty().When(r => string.IsNullOrEmpty(r.HtmlBody)).MaximumLength(10_000);
        // A subject is one header line (RFC 5322 §2.1.1: at most 998 characters, no line breaks).
        RuleFor(r => r.Subject).MaximumLength(998).Must(s => s is null || s.AsSpan().IndexOfAny('\r', '\n') < 0)
            .WithMessage("subject must not contain line breaks.");
        RuleFor(r => r.HtmlBody).MaximumLength(100_000);
        RuleFor(r => r.Category).MaximumLength(100);
        RuleFor(r => r.ChannelType).TemplateChannelType();
        RuleFor(r => r.Language).MaximumLength(20);
        RuleFor(r => r.DefaultValues).DefaultValues();
        RuleFor(r => r.ExternalTemplateId).MaximumLength(200);
    }
}

internal static class CreateTemplateEndpoint
{
    public static async Task<IResult> HandleAsync(
        CreateTemplateRequest request, TurumbaDbContext db, ICurrentAccount account, CancellationToken cancellationToken)
    {
        var template = new Template
        {
            AccountId = account.RequiredAccountId,
            Name = request.Name!.Trim(),
            Body = request.Body ?? string.Empty,
            Subject = request.Subject,
            HtmlBody = request.HtmlBody,
            Category = request.Category,
            ChannelType = request.ChannelType,
            Language = request.Language,
            DefaultValues = TemplateRenderer.CaseInsensitive(request.DefaultValues),
            FallbackStrategy = request.FallbackStrategy ?? FallbackStrategy.KeepPlaceholder,
            ApprovalStatus = request.ApprovalStatus ?? ApprovalStatus.Approved,
            ExternalTemplateId = request.ExternalTemplateId,
            IsActive = request.IsActive ?? true,
            CreatedByUserId = request.CreatedByUserId,
        };
        template.Variables = template.AllVariables();
        db.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created($"/v1/templates/{template.Id}", TemplateResponse.From(template));
    }
}
