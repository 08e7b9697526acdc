using System.Data;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;

namespace Turumba.Outbox;

/// <summary>
/// The inbox and consumer outbox, as MassTransit's <c>OutboxConsumeFilter</c> asks for them: each
/// step runs in its own transaction that first inserts-if-missing and then locks the inbox row of
/// (MessageId, consumer). A redelivered or concurrently delivered duplicate waits on that lock and
/// then finds the message already consumed, so the consumer runs once per message.
/// </summary>
internal sealed class DbContextOutboxContextFactory<TDbContext>(TDbContext db, IServiceProvider provider) : IOutboxContextFactory<TDbContext>
    where TDbContext : DbContext
{
    private const int ConflictRetryLimit = 10;

    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.GetOriginalMessageId() ?? throw new MessageException(typeof(T), "The inbox needs a MessageId on every message.");
        var sql = OutboxSql.For(db);
        var received = false;
        var conflicts = 0;
        var continueProcessing = true;
        while (continueProcessing)
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, context.CancellationToken);
            try
            {
                var lockId = NewId.NextGuid();
                await db.Database.ExecuteSqlRawAsync(sql.InsertInbox, [messageId, options.ConsumerId, lockId, DateTime.UtcNow], context.CancellationToken);
                var inbox = (await db.Set<InboxState>().FromSqlRaw(sql.LockInbox, messageId, options.ConsumerId).AsTracking()
                    .ToListAsync(context.CancellationToken)).Single();
                inbox.LockId = lockId;
                if (!received)
                {
                    inbox.ReceiveCount++;
                }

                var outboxContext = new DbContextOutboxConsumeContext<TDbContext, T>(context, options, provider, db, transaction, inbox);
                await next.Send(outboxContext);
                await db.SaveChangesAsync(context.CancellationToken);
                await transaction.CommitAsync(context.CancellationToken);
                received = true;
                continueProcessing = outboxContext.ContinueProcessing;
            }
            catch (Exception ex) when (SaveConflict.IsConflict(ex) && ++conflicts < ConflictRetryLimit)
            {
                // Everything the attempt did, including its outgoing messages, was in the rolled-back transaction.
                await transaction.RollbackAsync(CancellationToken.None);
                await SaveConflict.BackOffAsync(conflicts, context.CancellationToken);
            }
        }
    }

    public void Probe(ProbeContext context) =>
        context.CreateFilterScope("outboxContextFactory").Add("provider", "turumbaEntityFrameworkCore");
}
