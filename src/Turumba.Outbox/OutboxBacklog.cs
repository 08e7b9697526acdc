using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Turumba.Outbox;

/// <summary>What waits in the outbox, for metrics and health.</summary>
/// <param name="BusOutboxMessages">Messages of bus outboxes not yet sent.</param>
/// <param name="ConsumerOutboxMessages">Messages of consumers committed but not yet released.</param>
/// <param name="OldestBusOutbox">Creation time of the oldest undelivered bus outbox, if any.</param>
public sealed record OutboxBacklogSnapshot(long BusOutboxMessages, long ConsumerOutboxMessages, DateTime? OldestBusOutbox);

/// <summary>Reads the outbox backlog (one indexed count per kind).</summary>
public interface IOutboxBacklog
{
    Task<OutboxBacklogSnapshot> GetAsync(CancellationToken cancellationToken = default);
}

internal sealed class OutboxBacklog<TDbContext>(IServiceScopeFactory scopes) : IOutboxBacklog
    where TDbContext : DbContext
{
    public async Task<OutboxBacklogSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var messages = db.Set<OutboxMessage>().AsNoTracking();
        var bus = await messages.LongCountAsync(m => m.OutboxId != null, cancellationToken);
        var consumers = await messages.LongCountAsync(m => m.InboxMessageId != null, cancellationToken);
        var oldest = await db.Set<OutboxState>().AsNoTracking().Where(o => o.Delivered == null)
            .OrderBy(o => o.Created).Select(o => (DateTime?)o.Created).FirstOrDefaultAsync(cancellationToken);
        return new OutboxBacklogSnapshot(bus, consumers, oldest);
    }
}
