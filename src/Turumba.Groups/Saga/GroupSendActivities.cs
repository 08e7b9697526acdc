using MassTransit;
using Microsoft.EntityFrameworkCore;
using Turumba.Contracts;
using Turumba.Groups.GroupMessages;
using Turumba.Platform;
using Turumba.Platform.Persistence;

namespace Turumba.Groups.Saga;

/// <summary>
/// What the group-send saga does on each event. Changes to the group message's row go through the
/// scope's <see cref="TurumbaDbContext"/>, the one the saga repository saves, so they commit with the saga.
/// </summary>
internal static class GroupSendActivities
{
    public static async Task StartAsync(BehaviorContext<GroupSendState, GroupSendQueued> context)
    {
        var saga = context.Saga;
        var now = context.GetServiceOrCreateInstance<TimeProvider>().GetUtcNowForDatabase();
        saga.AccountId = context.Message.AccountId;
        saga.QueuedAt = now;
        var group = await LoadAsync(context, saga.CorrelationId);
        if (group is null || group.Status != GroupMessageStatus.Queued)
        {
            // Cancelled (or deleted) before the saga saw it queued: nothing to start.
            saga.CompletedAt = now;
            saga.Handled("queued", $"not started: the group message is {group?.Status.ToSnakeCase() ?? "gone"}", now);
            return;
        }

        group.Status = GroupMessageStatus.Processing;
        group.StartedAt = now;
        group.UpdatedAt = now;
        saga.Handled("queued", "fan-out requested", now);
    }

    public static void ApplyPage(BehaviorContext<GroupSendState, GroupFanOutProgressed> context)
    {
        var saga = context.Saga;
        var page = context.Message;
        saga.FanOutPages++;
        if (page.Recipients + page.Skipped + page.Suppressed >= saga.Recipients + saga.Skipped + saga.Suppressed)
        {
            // The furthest page seen so far: a late report of an earlier page must not move the cursor back.
            (saga.FanOutCursor, saga.Recipients, saga.Skipped, saga.Suppressed) = (page.Cursor, page.Recipients, page.Skipped, page.Suppressed);
        }

        saga.Handled("fan_out_progressed", $"recipients={page.Recipients} skipped={page.Skipped} suppressed={page.Suppressed}", page.At);
    }

    public static void ApplyFanOutCompleted(BehaviorContext<GroupSendState, GroupFanOutCompleted> context)
    {
        var saga = context.Saga;
        (saga.Recipients, saga.Skipped, saga.Suppressed) = (context.Message.Recipients, context.Message.Skipped, context.Message.Suppressed);
        saga.FanOutCompletedAt ??= context.Message.At;
        saga.Handled("fan_out_completed",
            $"recipients={context.Message.Recipients} skipped={context.Message.Skipped} suppressed={context.Message.Suppressed}", context.Message.At);
    }

    public static void ApplyProgress(BehaviorContext<GroupSendState, GroupSendProgressed> context)
    {
        var saga = context.Saga;
        var progress = context.Message;
        if (progress.FanOutCompleted)
        {
            saga.FanOutCompletedAt ??= progress.At;
            saga.Recipients = progress.Recipients;
        }

        (saga.Pending, saga.Sent, saga.Delivered, saga.Failed, saga.Cancelled) =
            (progress.Pending, progress.Sent, progress.Delivered, progress.Failed, progress.Cancelled);
        saga.Handled("progressed", $"pending={progress.Pending} sent={progress.Sent} delivered={progress.Delivered} failed={progress.Failed}" +
            (progress.Exact ? " (counted)" : string.Empty), progress.At);
    }

    /// <summary>How the send ended, once the fan-out is done and an exact count finds nothing pending.</summary>
    public static Outcome OutcomeOf(GroupSendState saga, GroupSendProgressed progress)
    {
        if (saga.FanOutCompletedAt is null || !progress.Exact || progress.Pending > 0)
        {
            return Outcome.Running;
        }

        return progress.Failed == 0 && progress.Recipients > 0 ? Outcome.Completed
            : progress.Failed > 0 && progress.Failed < progress.Recipients ? Outcome.PartiallyFailed
            : Outcome.Failed;
    }

    public static async Task FinishAsync(BehaviorContext<GroupSendState, GroupSendProgressed> context, GroupMessageStatus status)
    {
        var saga = context.Saga;
        saga.CompletedAt = context.Message.At;
        saga.Handled("finished", status.ToSnakeCase(), context.Message.At);
        var group = await LoadAsync(context, saga.CorrelationId);
        if (group is { Status: GroupMessageStatus.Processing })
        {
            group.Status = status;
            group.CompletedAt = context.Message.At;
            group.UpdatedAt = context.Message.At;
        }
    }

    public static async Task FailAsync(BehaviorContext<GroupSendState, GroupFanOutFailed> context)
    {
        var saga = context.Saga;
        saga.CompletedAt = context.Message.At;
        saga.Handled("fan_out_failed", context.Message.Reason, context.Message.At);
        var group = await LoadAsync(context, saga.CorrelationId);
        if (group is { Status: GroupMessageStatus.Processing })
        {
            group.Status = GroupMessageStatus.Failed;
            group.CompletedAt = context.Message.At;
            group.UpdatedAt = context.Message.At;
        }
    }

    public static void ApplyCancelled(BehaviorContext<GroupSendState, GroupSendCancelled> context)
    {
        context.Saga.CompletedAt = context.Message.CancelledAt;
        context.Saga.Handled("cancelled", "by request", context.Message.CancelledAt);
    }

    private static Task<GroupMessage?> LoadAsync(ConsumeContext context, Guid id) =>
        context.GetServiceOrCreateInstance<TurumbaDbContext>().Set<GroupMessage>().IgnoreQueryFilters().AsTracking()
            .FirstOrDefaultAsync(g => g.Id == id, context.CancellationToken);
}
