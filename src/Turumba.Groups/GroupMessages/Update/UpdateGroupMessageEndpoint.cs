using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Contracts;
using Turumba.Groups.Progress;
using Turumba.Messaging;
using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Groups.GroupMessages.Update;

/// <summary>
/// <c>PATCH /v1/group-messages/{id}</c>: edit a draft; <c>status: queued</c> starts it;
/// <c>status: cancelled</c> stops it at any point before it finished (queued messages of the send
/// become cancelled and are not sent; the fan-out stops at its next batch).
/// </summary>
internal sealed record UpdateGroupMessageRequest(
    string? Name, Dictionary<string, string>? CustomValues, List<Guid>? ExcludeContactIds, GroupMessageStatus? Status);

internal sealed class UpdateGroupMessageValidator : AbstractValidator<UpdateGroupMessageRequest>
{
    public UpdateGroupMessageValidator() => RuleFor(r => r.Name).MaximumLength(200);
}

internal static class UpdateGroupMessageEndpoint
{
    private static readonly GroupMessageStatus[] Final =
        [GroupMessageStatus.Completed, GroupMessageStatus.PartiallyFailed, GroupMessageStatus.Failed, GroupMessageStatus.Cancelled];

    public static async Task<IResult> HandleAsync(
        Guid id, UpdateGroupMessageRequest request, TurumbaDbContext db, IMessageStore messages, IPublishEndpoint publish, GroupProgressCounters progress, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        // The row lock orders a cancel against a fan-out page: whichever commits second sees the other.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var group = await db.Set<GroupMessage>().FromSql($"select * from groups.group_messages where id = {id} for update").FirstOrDefaultAsync(cancellationToken)
            ?? throw NotFoundException.For("group message", id);
        var editing = request.Name is not null || request.CustomValues is not null || request.ExcludeContactIds is not null;
        if (editing && group.Status != GroupMessageStatus.Draft)
        {
            throw new ConflictException("Only a draft can be edited; this group message has been queued.");
        }

        var cancelledMessages = 0;
        group.Name = request.Name ?? group.Name;
        group.CustomValues = request.CustomValues ?? group.CustomValues;
        group.ExcludeContactIds = request.ExcludeContactIds?.Distinct().ToList() ?? group.ExcludeContactIds;
        switch (request.Status)
        {
            case null:
                break;
            case var same when same == group.Status:
                break;
            case GroupMessageStatus.Queued when group.Status == GroupMessageStatus.Draft:
                group.Status = GroupMessageStatus.Queued;
                await publish.Publish(new GroupSendQueued(group.Id, group.AccountId), cancellationToken);
                break;
            case GroupMessageStatus.Cancelled when !Final.Contains(group.Status):
                group.Status = GroupMessageStatus.Cancelled;
                group.CompletedAt = clock.GetUtcNowForDatabase();
                cancelledMessages = await messages.CancelUnsentOfGroupAsync(db, group.Id, cancellationToken);
                await publish.Publish(new GroupSendCancelled(group.Id, group.AccountId, group.CompletedAt.Value), cancellationToken);
                break;
            default:
                throw new ConflictException(
                    $"A group message cannot go from {group.Status.ToSnakeCase()} to {request.Status.Value.ToSnakeCase()}: draft → queued, and anything not finished → cancelled.");
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await progress.MoveAsync(group.Id, MessageStatus.Queued, MessageStatus.Cancelled, cancelledMessages);
        return ApiResults.Ok(GroupMessageResponse.From(group));
    }
}
