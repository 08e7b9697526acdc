using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Turumba.Outbox;

/// <summary>
/// The consume context a consumer sees under the outbox: its sends and publishes become
/// <see cref="OutboxMessage"/> rows keyed by the inbox row, in the transaction that also holds the
/// consumer's own changes. MassTransit's <c>OutboxMessagePipe</c> drives the steps (consume, deliver,
/// remove) through the members below.
/// </summary>
internal sealed class DbContextOutboxConsumeContext<TDbContext, TMessage>(
    ConsumeContext<TMessage> context,
    OutboxConsumeOptions options,
    IServiceProvider provider,
    TDbContext db,
    IDbContextTransaction transaction,
    InboxState inbox)
    : OutboxConsumeContextProxy<TMessage>(context, options, provider), IOutboxTransaction
    where TDbContext : DbContext
    where TMessage : class
{
    public override Guid? MessageId => inbox.MessageId;

    public override bool ContinueProcessing { get; set; } = true;

    public override bool IsMessageConsumed => inbox.Consumed.HasValue;

    public override bool IsOutboxDelivered => inbox.Delivered.HasValue;

    public override int ReceiveCount => inbox.ReceiveCount;

    public override long? LastSequenceNumber => inbox.LastSequenceNumber;

    public Guid TransactionId => transaction.TransactionId;

    public override async Task SetConsumed()
    {
        inbox.Consumed = DateTime.UtcNow;
        await db.SaveChangesAsync(CancellationToken);
    }

    public override async Task SetDelivered()
    {
        inbox.Delivered = DateTime.UtcNow;
        await db.SaveChangesAsync(CancellationToken);
    }

    public override async Task<List<OutboxMessageContext>> LoadOutboxMessages()
    {
        var after = inbox.LastSequenceNumber ?? 0;
        var messages = await db.Set<OutboxMessage>()
            .AsNoTracking()
            .Where(m => m.InboxMessageId == inbox.MessageId && m.InboxConsumerId == inbox.ConsumerId && m.SequenceNumber > after)
            .OrderBy(m => m.SequenceNumber)
            .Take(Options.MessageDeliveryLimit + 1)
            .ToListAsync(CancellationToken);
        foreach (var message in messages)
        {
            message.Deserialize(OutboxMessageFactory.Serializer);
        }

        return messages.Cast<OutboxMessageContext>().ToList();
    }

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message)
    {
        inbox.LastSequenceNumber = message.SequenceNumber;
        return Task.CompletedTask;
    }

    public override Task RemoveOutboxMessages() =>
        db.Set<OutboxMessage>()
            .Where(m => m.InboxMessageId == inbox.MessageId && m.InboxConsumerId == inbox.ConsumerId)
            .ExecuteDeleteAsync(CancellationToken);

    public override Task AddSend<T>(SendContext<T> context)
    {
        lock (db)
        {
            db.Add(OutboxMessageFactory.Create(context, inboxMessageId: inbox.MessageId, inboxConsumerId: inbox.ConsumerId));
        }

        return Task.CompletedTask;
    }
}
