using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Groups.GroupMessages.Create;

internal sealed record CreateGroupMessageRequest(
    Guid? ChannelId,
    List<Guid>? ContactGroupIds,
    List<Guid>? ExcludeContactIds,
    Guid? TemplateId,
    string? MessageBody,
    Dictionary<string, string>? CustomValues,
    string? Name,
    GroupMessageStatus? Status);

internal sealed class CreateGroupMessageValidator : AbstractValidator<CreateGroupMessageRequest>
{
    public CreateGroupMessageValidator()
    {
        RuleFor(r => r.ChannelId).NotEmpty();
        RuleFor(r => r.ContactGroupIds).NotEmpty().WithMessage("contact_group_ids needs at least one group.");
        RuleFor(r => r.Name).MaximumLength(200);
        RuleFor(r => r.MessageBody).MaximumLength(10_000);
        RuleFor(r => r).Must(r => (r.TemplateId is null) != string.IsNullOrEmpty(r.MessageBody))
            .WithName("message_body").WithMessage("Give exactly one of message_body and template_id.");
        RuleFor(r => r.Status).Must(s => s is null or GroupMessageStatus.Draft or GroupMessageStatus.Queued)
            .WithMessage("status must be draft or queued when creating a group message.");
    }
}

/// <summary><c>POST /v1/group-messages</c>: a draft, or queued at once (the fan-out starts through the outbox).</summary>
internal static class CreateGroupMessageEndpoint
{
    public static async Task<IResult> HandleAsync(
        CreateGroupMessageRequest request, TurumbaDbContext db, ICurrentAccount account, GroupSends sends, IPublishEndpoint publish,
        CancellationToken cancellationToken)
    {
        var send = new GroupSend(account.RequiredAccountId, request.ChannelId!.Value, request.ContactGroupIds!, request.ExcludeContactIds,
            request.TemplateId, request.MessageBody, request.CustomValues, request.Name);
        var group = await sends.AddAsync(db, publish, send, request.Status ?? GroupMessageStatus.Draft, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created($"/v1/group-messages/{group.Id}", GroupMessageResponse.From(group));
    }
}
