using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Templates.Update;

/// <summary>A partial update: fields left out (or null) keep their value.</summary>
internal sealed record UpdateTemplateRequest(
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
    bool? IsActive);

internal sealed class UpdateTemplateValidator : AbstractValidator<UpdateTemplateRequest>
{
    public UpdateTemplateValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200).When(r => r.Name is not null);
        RuleFor(r => r.Body).NotEmpty().MaximumLength(10_000).When(r => r.Body is not null);
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

internal static class UpdateTemplateEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, UpdateTemplateRequest request, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var template = await db.Set<Template>().FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw NotFoundException.For("template", id);
        template.Name = request.Name?.Trim() ?? template.Name;
        template.Category = request.Category ?? template.Category;
        template.ChannelType = request.ChannelType ?? template.ChannelType;
        template.Language = request.Language ?? template.Language;
        template.DefaultValues = request.DefaultValues is null ? template.DefaultValues : TemplateRenderer.CaseInsensitive(request.DefaultValues);
        template.FallbackStrategy = request.FallbackStrategy ?? template.FallbackStrategy;
        template.ApprovalStatus = request.ApprovalStatus ?? template.ApprovalStatus;
        template.ExternalTemplateId = request.ExternalTemplateId ?? template.ExternalTemplateId;
        template.IsActive = request.IsActive ?? template.IsActive;
        template.Body = request.Body ?? template.Body;
        template.Subject = request.Subject ?? template.Subject;
        template.HtmlBody = request.HtmlBody ?? template.HtmlBody;
        template.Variables = template.AllVariables();

        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Ok(TemplateResponse.From(template));
    }
}
