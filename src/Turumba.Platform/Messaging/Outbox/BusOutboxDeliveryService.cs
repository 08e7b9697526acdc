using System.Data;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Turumba.Platform.Messaging.Outbox;

/// <summary>
/// Sends what bus outboxes hold (role <c>outbox</c>). Each worker takes one outbox row with
/// <c>FOR UPDATE SKIP LOCKED</c>, sends its messages in sequence order, deletes them and commits;
/// the row lock is what lets any number of instances run this without sending a row twice.
/// Delivery is at least once: a crash between the broker's confirm and the commit resends.
/// </summary>
internal sealed partial class BusOutboxDeliveryService<TDbContext>(
    IBusControl bus,
    IServiceScopeFactory scopes,
    OutboxWakeSignal<TDbContext> wake,
    IOptionsMonitor<TurumbaOutboxOptions> options,
    ILogger<BusOutboxDeliveryService<TDbContext>> logger)
    : BackgroundService
    where TDbContext : DbContext
{
    private readonly TurumbaOutboxOptions _options = options.Get(TurumbaOutboxOptions.NameFor(typeof(TDbContext)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken);
                var workers = Enumerable.Range(0, _options.DeliveryConcurrency).Select(_ => DrainAsync(stoppingToken));
                var results = await Task.WhenAll(workers);
                if (results.Any(r => r.Faulted))
                {
                    backoff = NextBackoff(backoff);
                    await Task.Delay(backoff, stoppingToken);
                    continue;
                }

                backoff = TimeSpan.Zero;
                if (results.Sum(r => r.Sent) == 0)
                {
                    await wake.WaitAsync(_options.QueryDelay, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                backoff = NextBackoff(backoff);
                LogDeliveryFailed(logger, ex, backoff);
                await Task.Delay(backoff, stoppingToken);
            }
        }
    }

    /// <summary>Delivers outboxes one after another until none is left that another worker does not hold.</summary>
    private async Task<(int Sent, bool Faulted)> DrainAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            var (count, found, faulted) = await DeliverNextOutboxAsync(db, cancellationToken);
            sent += count;
            if (faulted)
            {
                return (sent, true);
            }

            if (!found)
            {
                break;
            }
        }

        return (sent, false);
    }

    private async Task<(int Sent, bool Found, bool Faulted)> DeliverNextOutboxAsync(TDbContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var outbox = (await db.Set<OutboxState>().FromSqlRaw(OutboxSql.For(db).LockNextOutbox).AsTracking().ToListAsync(cancellationToken))
            .SingleOrDefault();
        if (outbox is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return (0, false, false);
        }

        var after = outbox.LastSequenceNumber ?? 0;
        var limit = _options.MessageDeliveryLimit;
        var messages = await db.Set<OutboxMessage>()
            .AsNoTracking()
            .Where(m => m.OutboxId == outbox.OutboxId && m.SequenceNumber > after)
            .OrderBy(m => m.SequenceNumber)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);

        var sentThrough = (long?)null;
        var sent = 0;
        var faulted = false;
        foreach (var message in messages.Take(limit))
        {
            if (!await TrySendAsync(message, cancellationToken))
            {
                faulted = true;
                break;
            }

            sentThrough = message.SequenceNumber;
            sent++;
        }

        if (sentThrough is { } last)
        {
            await db.Set<OutboxMessage>()
                .Where(m => m.OutboxId == outbox.OutboxId && m.SequenceNumber <= last)
                .ExecuteDeleteAsync(CancellationToken.None);
            outbox.LastSequenceNumber = last;
        }

        if (!faulted && messages.Count <= limit)
        {
            db.Remove(outbox);
        }

        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return (sent, true, faulted);
    }

    private async Task<bool> TrySendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (message.DestinationAddress is null)
        {
            LogNoDestination(logger, message.SequenceNumber, message.MessageId);
            return true;
        }

        try
        {
            message.Deserialize(OutboxMessageFactory.Serializer);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.MessageDeliveryTimeout);
            var endpoint = await bus.GetSendEndpoint(message.DestinationAddress);
            await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(message, message.DestinationAddress), timeout.Token);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogSendFailed(logger, ex, message.SequenceNumber, message.MessageId);
            return false;
        }
    }

    private static TimeSpan NextBackoff(TimeSpan current) =>
        current == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(current.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox delivery failed; retrying in {Backoff}")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox send failed for message {SequenceNumber} ({MessageId}); it stays in the outbox")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, long sequenceNumber, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {SequenceNumber} ({MessageId}) has no destination address; dropped")]
    private static partial void LogNoDestination(ILogger logger, long sequenceNumber, Guid messageId);
}
