using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Contracts;
using Turumba.Groups.GroupMessages;
using Turumba.Messaging;
using Turumba.Platform.Persistence;

namespace Turumba.Groups.FanOut;

/// <summary>
/// Queue <c>group_message_processing</c>: turns a queued group message into one message per
/// recipient. Pages the directory 1,000 contacts at a time (distinct across groups, minus the
/// excluded), renders each with the template's fallback strategy, and per page commits the
/// messages (binary COPY) together with the fan-out cursor, then sends the page's dispatch
/// commands. A redelivered or restarted fan-out resumes after the cursor and first re-sends the
/// commands of messages still queued (a crash may have come between commit and send; dispatch
/// ignores duplicates). A cancelled send stops at the next page.
/// </summary>
internal sealed partial class GroupFanOutConsumer(
    TurumbaDbContext db,
    IContactDirectory directory,
    IChannelCatalog channels,
    ITemplateCatalog templates,
    IMessageStore messages,
    TimeProvider clock,
    ILogger<GroupFanOutConsumer> logger) : IConsumer<GroupSendQueued>
{
    public const int PageSize = 1_000;

    public async Task Consume(ConsumeContext<GroupSendQueued> context)
    {
        var cancellationToken = context.CancellationToken;
        var group = await db.Set<GroupMessage>().IgnoreQueryFilters().FirstOrDefaultAsync(g => g.Id == context.Message.GroupMessageId, cancellationToken);
        if (group is null || group.FanOutCompleted || group.Status is not (GroupMessageStatus.Queued or GroupMessageStatus.Processing))
        {
            return;
        }

        var channel = await channels.FindAsync(group.ChannelId, cancellationToken);
        var template = await templates.GetAsync(db, group.AccountId, group.TemplateId, cancellationToken);
        if (channel is null || template is null)
        {
            group.Status = GroupMessageStatus.Failed;
            group.CompletedAt = clock.GetUtcNowForDatabase();
            await db.SaveChangesAsync(cancellationToken);
            LogCannotStart(logger, group.Id, channel is null ? "its channel is gone" : "its template is gone");
            return;
        }

        if (group.Status == GroupMessageStatus.Queued)
        {
            group.Status = GroupMessageStatus.Processing;
            group.StartedAt = clock.GetUtcNowForDatabase();
            await db.SaveChangesAsync(cancellationToken);
        }

        var dispatch = await context.GetSendEndpoint(DispatchQueues.AddressFor(channel.ChannelType));
        await ResendQueuedAsync(group, channel, dispatch, cancellationToken);

        var custom = TemplateRenderer.CaseInsensitive(group.CustomValues);
        var cursor = group.FanOutCursor;
        while (true)
        {
            if (await IsCancelledAsync(group.Id, cancellationToken))
            {
                return;
            }

            var page = await directory.GetGroupMembersAsync(group.AccountId, group.ContactGroupIds, group.ExcludeContactIds, cursor, PageSize, cancellationToken);
            var now = clock.GetUtcNowForDatabase();
            var batch = new List<NewMessage>(page.Contacts.Count);
            var skipped = 0;
            foreach (var contact in page.Contacts)
            {
                var address = contact.AddressFor(channel.ChannelType);
                var rendered = address is null ? default : TemplateRenderer.Render(template.Compiled, template.FallbackStrategy, new RenderValues(custom, contact, template.Defaults));
                if (address is null || rendered.Skipped)
                {
                    skipped++;
                    continue;
                }

                batch.Add(new NewMessage(Guid.CreateVersion7(now), group.AccountId, channel.Id, contact.Id, group.Id, template.Id,
                    MessageStatus.Queued, address, rendered.Text, template.Body, now));
            }

            var next = page.Next ?? (page.Contacts.Count > 0 ? page.Contacts[^1].Id : cursor);
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                await messages.BulkInsertAsync(db, batch, cancellationToken);
                await db.Set<GroupMessage>().IgnoreQueryFilters().Where(g => g.Id == group.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(g => g.FanOutCursor, next)
                    .SetProperty(g => g.TotalRecipients, g => g.TotalRecipients + batch.Count)
                    .SetProperty(g => g.SkippedCount, g => g.SkippedCount + skipped)
                    .SetProperty(g => g.PendingCount, g => g.PendingCount + batch.Count)
                    .SetProperty(g => g.FanOutCompleted, page.Next == null)
                    .SetProperty(g => g.UpdatedAt, now), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            await dispatch.SendBatch(batch.Select(m => new DispatchMessage(m.Id, m.CreatedAt, m.AccountId, m.ChannelId, channel.ChannelType)), cancellationToken);
            if (page.Next is null)
            {
                LogFannedOut(logger, group.Id);
                return;
            }

            cursor = page.Next;
        }
    }

    private async Task ResendQueuedAsync(GroupMessage group, ChannelSnapshot channel, ISendEndpoint dispatch, CancellationToken cancellationToken)
    {
        var queued = await messages.QueuedOfGroupAsync(group.Id, cancellationToken);
        if (queued.Count > 0)
        {
            await dispatch.SendBatch(queued.Select(m => new DispatchMessage(m.Id, m.CreatedAt, group.AccountId, channel.Id, channel.ChannelType)), cancellationToken);
        }
    }

    private Task<bool> IsCancelledAsync(Guid groupId, CancellationToken cancellationToken) =>
        db.Set<GroupMessage>().IgnoreQueryFilters().AsNoTracking()
            .AnyAsync(g => g.Id == groupId && g.Status == GroupMessageStatus.Cancelled, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group message {GroupMessageId} cannot start: {Reason}")]
    private static partial void LogCannotStart(ILogger logger, Guid groupMessageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group message {GroupMessageId} fanned out")]
    private static partial void LogFannedOut(ILogger logger, Guid groupMessageId);
}

internal sealed class GroupFanOutConsumerDefinition : ConsumerDefinition<GroupFanOutConsumer>
{
    public GroupFanOutConsumerDefinition()
    {
        EndpointName = GroupQueues.Processing;
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<GroupFanOutConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Exponential(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
}
