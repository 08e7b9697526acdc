using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Contracts;
using Turumba.Groups.GroupMessages;
using Turumba.Groups.Progress;
using Turumba.Messaging;
using Turumba.Platform.Hosting;
using Turumba.Platform.Persistence;

namespace Turumba.Groups.FanOut;

/// <summary>
/// Queue <c>group_message_processing</c>: turns a group message its saga started into one message
/// per recipient. Pages the directory (1,000 contacts at a time by default) (distinct across groups, minus the
/// excluded), renders each with the template's fallback strategy, and per page commits the
/// messages (binary COPY) together with the fan-out cursor — only while the send is still
/// processing, so a cancel that commits first stops it — then counts them pending in Redis, sends
/// their dispatch commands in batches and tells the saga. A redelivered or restarted fan-out
/// resumes after the cursor and first re-sends the commands of messages still queued (a crash may
/// have come between commit and send; dispatch ignores duplicates).
/// </summary>
internal sealed partial class GroupFanOutConsumer(
    TurumbaDbContext db,
    IContactDirectory directory,
    IChannelCatalog channels,
    ITemplateCatalog templates,
    IChannelTemplates synced,
    IMessageStore messages,
    GroupProgressCounters progress,
    IOptions<FanOutOptions> options,
    TimeProvider clock,
    ILogger<GroupFanOutConsumer> logger) : IConsumer<FanOutGroupSend>
{
    public async Task Consume(ConsumeContext<FanOutGroupSend> context)
    {
        var cancellationToken = context.CancellationToken;
        var group = await db.Set<GroupMessage>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(g => g.Id == context.Message.GroupMessageId, cancellationToken);
        if (group is null || group.Status != GroupMessageStatus.Processing)
        {
            return;
        }

        try
        {
            await FanOutAsync(context, group);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !TransientFailure.Is(ex))
        {
            // Trying again would fail the same way (bad stored values, a constraint): end the send with the
            // reason now rather than hold a fan-out slot through minutes of retries and leave it processing.
            LogFailed(logger, ex, group.Id);
            await context.Publish(new GroupFanOutFailed(group.Id, $"the fan-out failed: {ex.Message}", clock.GetUtcNow()), cancellationToken);
        }
    }

    private async Task FanOutAsync(ConsumeContext<FanOutGroupSend> context, GroupMessage group)
    {
        var cancellationToken = context.CancellationToken;
        var channel = await channels.FindAsync(group.ChannelId, cancellationToken);
        // The link's status as last synced: a template the WABA paused since the send was made no longer goes.
        var template = await synced.WithSyncedStatusAsync(channel, await templates.GetAsync(db, group.AccountId, group.TemplateId, cancellationToken), cancellationToken);
        if (channel is null || template is null)
        {
            var reason = channel is null ? "its channel is gone" : "its template is gone";
            LogCannotStart(logger, group.Id, reason);
            await context.Publish(new GroupFanOutFailed(group.Id, reason, clock.GetUtcNow()), cancellationToken);
            return;
        }

        var custom = TemplateRenderer.CaseInsensitive(group.CustomValues);
        var timing = RecipientTiming.For(group, channel);
        var dispatch = await context.GetSendEndpoint(DispatchQueues.AddressFor(channel.ChannelType));
        await ResendQueuedAsync(group, channel, dispatch, cancellationToken);
        var (cursor, recipients, skippedTotal, suppressedTotal) = (group.FanOutCursor, group.TotalRecipients, group.SkippedCount, group.SuppressedCount);
        // The next page is read while this one is written: the walk only needs the cursor.
        var reading = group.FanOutCompleted ? null : ReadPageAsync(group, channel.ChannelType, cursor, cancellationToken);
        try
        {
            while (reading is not null)
            {
                var page = await reading;
                var started = clock.GetTimestamp();
                reading = page.Next is null ? null : ReadPageAsync(group, channel.ChannelType, page.Next, cancellationToken);
                var now = clock.GetUtcNowForDatabase();
                var (batch, skipped, suppressed) = Render(page, group, channel, template, custom, timing, now);
                var next = page.Next ?? (page.Contacts.Count > 0 ? page.Contacts[^1].Id : cursor);
                if (!await CommitPageAsync(group.Id, batch, next, skipped, suppressed, page.Next is null, now, cancellationToken))
                {
                    LogStopped(logger, group.Id);
                    return;
                }

                (cursor, recipients, skippedTotal, suppressedTotal) = (next, recipients + batch.Count, skippedTotal + skipped, suppressedTotal + suppressed);
                await progress.AddPendingAsync(group.Id, batch.Count);
                // Deferred recipients get their commands from the scheduling role's release, when their time comes.
                await SendDispatchAsync(dispatch, group.AccountId, channel,
                    batch.Where(m => m.DeferredUntil is null).Select(m => new DispatchItem(m.Id, m.CreatedAt)), cancellationToken);
                await context.Publish(new GroupFanOutProgressed(group.Id, cursor, recipients, skippedTotal, clock.GetUtcNow(), suppressedTotal), cancellationToken);
                FanOutMetrics.Recipients.Add(batch.Count);
                FanOutMetrics.Skipped.Add(skipped);
                FanOutMetrics.Suppressed.Add(suppressed);
                FanOutMetrics.PageDuration.Record(clock.GetElapsedTime(started).TotalSeconds);
            }
        }
        finally
        {
            await ObserveAsync(reading);
        }

        LogFannedOut(logger, group.Id, recipients);
        await context.Publish(new GroupFanOutCompleted(group.Id, recipients, skippedTotal, clock.GetUtcNow(), suppressedTotal), cancellationToken);
    }

    private Task<ContactPage> ReadPageAsync(GroupMessage group, string channelType, Guid? after, CancellationToken cancellationToken) =>
        directory.GetGroupMembersAsync(group.AccountId, group.ContactGroupIds, group.ExcludeContactIds, after, channelType, options.Value.FanOutPageSize, cancellationToken);

    /// <summary>
    /// One message per contact with an address on the channel, not suppressed (the directory marked
    /// those), and a rendering the template's fallback strategy allows; queued, and deferred when the
    /// recipient's local time or quiet hours say so. A phone channel's address is written in E.164; one
    /// that is no phone number is written as it is and fails in dispatch, that recipient alone.
    /// </summary>
    private static (List<NewMessage> Batch, int Skipped, int Suppressed) Render(
        ContactPage page, GroupMessage group, ChannelSnapshot channel, TemplateSnapshot template, Dictionary<string, string> custom,
        RecipientTiming timing, DateTimeOffset now)
    {
        var batch = new List<NewMessage>(page.Contacts.Count);
        var (skipped, suppressed) = (0, 0);
        foreach (var contact in page.Contacts)
        {
            var recipient = GroupRecipient.Of(contact, channel.ChannelType, template, custom);
            if (recipient.Fate == GroupRecipientFate.Suppressed)
            {
                suppressed++;
                continue;
            }

            if (recipient.Fate == GroupRecipientFate.Skipped)
            {
                skipped++;
                continue;
            }

            var (scheduledAt, deferredUntil) = timing.Of(contact, now);
            batch.Add(new NewMessage(Guid.CreateVersion7(now), group.AccountId, channel.Id, contact.Id, group.Id, template.Id,
                MessageStatus.Queued, recipient.Address!, recipient.Text!, template.Body, now, scheduledAt, deferredUntil, recipient.Metadata));
        }

        return (batch, skipped, suppressed);
    }

    /// <summary>A read-ahead left behind by an early stop still has to finish; its result no longer matters.</summary>
    private static async Task ObserveAsync(Task<ContactPage>? reading)
    {
        if (reading is null)
        {
            return;
        }

        try
        {
            await reading;
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or HttpRequestException)
        {
        }
    }

    /// <summary>The page's messages and the cursor in one transaction; false (nothing written) when the send is no longer processing.</summary>
    private async Task<bool> CommitPageAsync(
        Guid groupId, List<NewMessage> batch, Guid? next, int skipped, int suppressed, bool last, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var updated = await db.Set<GroupMessage>().IgnoreQueryFilters()
            .Where(g => g.Id == groupId && g.Status == GroupMessageStatus.Processing)
            .ExecuteUpdateAsync(set => set
                .SetProperty(g => g.FanOutCursor, next)
                .SetProperty(g => g.TotalRecipients, g => g.TotalRecipients + batch.Count)
                .SetProperty(g => g.SkippedCount, g => g.SkippedCount + skipped)
                .SetProperty(g => g.SuppressedCount, g => g.SuppressedCount + suppressed)
                .SetProperty(g => g.FanOutCompleted, last)
                .SetProperty(g => g.UpdatedAt, now), cancellationToken);
        if (updated == 0)
        {
            return false;
        }

        await messages.BulkInsertAsync(db, batch, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private Task SendDispatchAsync(ISendEndpoint dispatch, Guid accountId, ChannelSnapshot channel, IEnumerable<DispatchItem> items, CancellationToken cancellationToken) =>
        dispatch.SendBatch(items.Chunk(options.Value.DispatchBatchSize).Select(chunk => new DispatchBatch(Guid.CreateVersion7(), accountId, channel.Id, channel.ChannelType, chunk)), cancellationToken);

    private async Task ResendQueuedAsync(GroupMessage group, ChannelSnapshot channel, ISendEndpoint dispatch, CancellationToken cancellationToken)
    {
        var queued = await messages.QueuedOfGroupAsync(group.Id, cancellationToken);
        if (queued.Count > 0)
        {
            await SendDispatchAsync(dispatch, group.AccountId, channel, queued.Select(m => new DispatchItem(m.Id, m.CreatedAt)), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group message {GroupMessageId} cannot start: {Reason}")]
    private static partial void LogCannotStart(ILogger logger, Guid groupMessageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Group message {GroupMessageId} failed for good during fan-out; the send ends failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid groupMessageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group message {GroupMessageId} fanned out to {Recipients} recipients")]
    private static partial void LogFannedOut(ILogger logger, Guid groupMessageId, int recipients);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group message {GroupMessageId} is no longer processing; fan-out stopped")]
    private static partial void LogStopped(ILogger logger, Guid groupMessageId);
}

internal sealed class GroupFanOutConsumerDefinition : ConsumerDefinition<GroupFanOutConsumer>
{
    public GroupFanOutConsumerDefinition()
    {
        EndpointName = GroupQueues.Processing;
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<GroupFanOutConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // The saga sends its command straight to this queue.
        endpointConfigurator.ConfigureConsumeTopology = false;
        endpointConfigurator.UseMessageRetry(r => r.Exponential(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
    }
}
