using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Turumba.Outbox;

/// <summary>
/// Removes, every <see cref="TurumbaOutboxOptions.CleanupInterval"/>, inbox rows delivered longer ago
/// than the duplicate detection window (with any messages left under them), and bus outbox rows
/// marked delivered. Deletes are batched and idempotent, so several instances may run this.
/// </summary>
internal sealed partial class OutboxCleanupService<TDbContext>(
    IServiceScopeFactory scopes,
    IOptionsMonitor<TurumbaOutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxCleanupService<TDbContext>> logger)
    : BackgroundService
    where TDbContext : DbContext
{
    private readonly TurumbaOutboxOptions _options = options.Get(TurumbaOutboxOptions.NameFor(typeof(TDbContext)));
    private readonly OutboxRetry _outage = new(logger, "Outbox cleanup");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CleanupInterval, clock);
        try
        {
            do
            {
                try
                {
                    await CleanUpAsync(stoppingToken);
                    _outage.Succeeded();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The rows wait for the next interval; an outage is logged once, not every interval.
                    _outage.Failed(ex, _options.CleanupInterval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    /// <returns>Inbox rows and bus outbox rows removed.</returns>
    public async Task<(int Inbox, int Outbox)> CleanUpAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var cutoff = clock.GetUtcNow().UtcDateTime - _options.DuplicateDetectionWindow;
        var batch = _options.CleanupBatchSize;

        var inboxRemoved = 0;
        int removed;
        do
        {
            var expired = db.Set<InboxState>().Where(i => i.Delivered != null && i.Delivered < cutoff).OrderBy(i => i.Id).Take(batch);
            await db.Set<OutboxMessage>()
                .Where(m => expired.Any(i => i.MessageId == m.InboxMessageId && i.ConsumerId == m.InboxConsumerId))
                .ExecuteDeleteAsync(cancellationToken);
            removed = await db.Set<InboxState>().Where(i => expired.Select(e => e.Id).Contains(i.Id)).ExecuteDeleteAsync(cancellationToken);
            inboxRemoved += removed;
        }
        while (removed == batch);

        // The delivery service removes outbox rows as it delivers; rows only marked delivered are left over from elsewhere.
        var outboxRemoved = 0;
        do
        {
            var delivered = db.Set<OutboxState>().Where(o => o.Delivered != null).OrderBy(o => o.Created).Take(batch).Select(o => o.OutboxId);
            await db.Set<OutboxMessage>().Where(m => m.OutboxId != null && delivered.Contains(m.OutboxId.Value)).ExecuteDeleteAsync(cancellationToken);
            removed = await db.Set<OutboxState>().Where(o => delivered.Contains(o.OutboxId)).ExecuteDeleteAsync(cancellationToken);
            outboxRemoved += removed;
        }
        while (removed == batch);

        if (inboxRemoved + outboxRemoved > 0)
        {
            LogCleanedUp(logger, inboxRemoved, outboxRemoved);
        }

        return (inboxRemoved, outboxRemoved);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox cleanup removed {Inbox} inbox rows and {Outbox} delivered outbox rows")]
    private static partial void LogCleanedUp(ILogger logger, int inbox, int outbox);
}
