using System.Data;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Turumba.Outbox;

/// <summary>
/// Sends what bus outboxes hold (role <c>outbox</c>). Each worker takes a batch of outbox rows with
/// <c>FOR UPDATE SKIP LOCKED</c>, sends each outbox's messages in sequence order (outboxes
/// concurrently), deletes them and commits once;
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
    private readonly OutboxRetry _outage = new(logger, "Outbox delivery");
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, SendFailures> _failures = new();
    private long _lastSentTicks;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.DeliveryConcurrency).Select(_ => RunWorkerAsync(stoppingToken)));

    /// <summary>
    /// One worker: delivers outboxes one after another while any is free, then sleeps until a
    /// commit is notified (or the fallback poll). Workers never wait for each other.
    /// </summary>
    private async Task RunWorkerAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var wait = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                while (!stoppingToken.IsCancellationRequested)
                {
                    var seen = wake.Generation;
                    db.ChangeTracker.Clear();
                    var (_, found, faulted) = await DeliverNextOutboxAsync(db, stoppingToken);
                    if (faulted)
                    {
                        wait = OutboxRetry.NextWait(wait);
                        await OutboxWakeSignal<TDbContext>.PauseAsync(wait, stoppingToken);
                        break;
                    }

                    wait = TimeSpan.Zero;
                    _outage.Succeeded();
                    if (!found)
                    {
                        await wake.WaitAsync(seen, _options.QueryDelay, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                wait = OutboxRetry.NextWait(wait);
                _outage.Failed(ex, wait);
                await OutboxWakeSignal<TDbContext>.PauseAsync(wait, stoppingToken);
            }
        }
    }

    /// <remarks>
    /// Database work ignores <paramref name="stopping"/>: outboxes taken are finished (or their sends
    /// stop and what was sent is recorded), so shutdown never strands sent rows.
    /// </remarks>
    private async Task<(int Sent, bool Found, bool Faulted)> DeliverNextOutboxAsync(TDbContext db, CancellationToken stopping)
    {
        var cancellationToken = CancellationToken.None;
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, OutboxSql.For(db).LockNextOutboxes, _options.OutboxBatchSize);
        var outboxes = await db.Set<OutboxState>().FromSqlRaw(sql).AsTracking().ToListAsync(cancellationToken);
        if (outboxes.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return (0, false, false);
        }

        var ids = outboxes.ConvertAll(o => o.OutboxId);
        var pending = (await db.Set<OutboxMessage>()
                .AsNoTracking()
                .Where(m => m.OutboxId != null && ids.Contains(m.OutboxId.Value))
                .OrderBy(m => m.SequenceNumber)
                .ToListAsync(cancellationToken))
            .ToLookup(m => m.OutboxId!.Value);

        // Outboxes are independent of each other: send them concurrently, each in its own order.
        var results = await Task.WhenAll(outboxes.Select(outbox => SendOutboxAsync(outbox, pending[outbox.OutboxId], stopping)));

        var finished = results.Where(r => r.Complete).Select(r => r.Outbox).ToList();
        if (finished.Count > 0)
        {
            var finishedIds = finished.ConvertAll(o => o.OutboxId);
            await db.Set<OutboxMessage>().Where(m => m.OutboxId != null && finishedIds.Contains(m.OutboxId.Value)).ExecuteDeleteAsync(cancellationToken);
            db.RemoveRange(finished);
        }

        foreach (var partial in results.Where(r => !r.Complete && r.SentThrough is not null))
        {
            var outboxId = partial.Outbox.OutboxId;
            var last = partial.SentThrough!.Value;
            await db.Set<OutboxMessage>()
                .Where(m => m.OutboxId == outboxId && m.SequenceNumber <= last)
                .ExecuteDeleteAsync(cancellationToken);
            partial.Outbox.LastSequenceNumber = last;
        }

        db.AddRange(results.SelectMany(r => r.Dead));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (results.Sum(r => r.Sent), true, results.Any(r => r.Faulted));
    }

    /// <summary>Sends one outbox's messages in sequence order, up to the delivery limit, stopping at the first failure.</summary>
    private async Task<(OutboxState Outbox, long? SentThrough, bool Complete, bool Faulted, int Sent, List<OutboxDeadLetter> Dead)> SendOutboxAsync(
        OutboxState outbox, IEnumerable<OutboxMessage> pending, CancellationToken stopping)
    {
        var after = outbox.LastSequenceNumber ?? 0;
        var messages = pending.Where(m => m.SequenceNumber > after).Take(_options.MessageDeliveryLimit + 1).ToList();
        long? sentThrough = null;
        var sent = 0;
        var dead = new List<OutboxDeadLetter>();
        foreach (var message in messages.Take(_options.MessageDeliveryLimit))
        {
            if (stopping.IsCancellationRequested)
            {
                return (outbox, sentThrough, false, true, sent, dead);
            }

            // A dead letter is passed like a sent message: the ones behind it go on.
            if (await TrySendAsync(message) is { } failure)
            {
                if (DeadLetter(message, failure) is not { } letter)
                {
                    return (outbox, sentThrough, false, true, sent, dead);
                }

                dead.Add(letter);
            }

            sentThrough = message.SequenceNumber;
            sent++;
        }

        return (outbox, sentThrough, messages.Count <= _options.MessageDeliveryLimit, false, sent, dead);
    }

    /// <summary>The dead letter for a message that failed once more, when its failures make it one (<see cref="TurumbaOutboxOptions.DeadLetterAfter"/>).</summary>
    private OutboxDeadLetter? DeadLetter(OutboxMessage message, Exception failure)
    {
        var now = DateTime.UtcNow.Ticks;
        var failures = _failures.AddOrUpdate(message.MessageId, _ => new SendFailures(1, now), (_, f) => f with { Attempts = f.Attempts + 1 });
        var ownFault = failure is FormatException or ArgumentException or NotSupportedException or InvalidCastException
            or System.Runtime.Serialization.SerializationException or System.Text.Json.JsonException or ConfigurationException;
        if (failures.Attempts < _options.DeadLetterAfter || !(ownFault || Interlocked.Read(ref _lastSentTicks) > failures.FirstAt))
        {
            return null;
        }

        _failures.TryRemove(message.MessageId, out _);
        var reason = $"{failure.GetType().Name}: {failure.Message}";
        LogDeadLettered(logger, message.SequenceNumber, message.MessageId, failures.Attempts, failure.Message);
        return new OutboxDeadLetter
        {
            MessageId = message.MessageId,
            OutboxId = message.OutboxId,
            SequenceNumber = message.SequenceNumber,
            DestinationAddress = message.DestinationAddress?.ToString(),
            MessageType = message.MessageType,
            ContentType = message.ContentType,
            Body = message.Body,
            Headers = message.Headers,
            Reason = reason.Length > 2000 ? reason[..2000] : reason,
            Attempts = failures.Attempts,
            DeadAt = DateTimeOffset.UtcNow,
        };
    }

    private sealed record SendFailures(int Attempts, long FirstAt);

    /// <summary>Sends one message; the failure, or null when the broker took it.</summary>
    private async Task<Exception?> TrySendAsync(OutboxMessage message)
    {
        if (message.DestinationAddress is null)
        {
            LogNoDestination(logger, message.SequenceNumber, message.MessageId);
            return null;
        }

        try
        {
            message.Deserialize(OutboxMessageFactory.Serializer);
            using var timeout = new CancellationTokenSource(_options.MessageDeliveryTimeout);
            var endpoint = await bus.GetSendEndpoint(message.DestinationAddress);
            await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(message, message.DestinationAddress), timeout.Token);
            Interlocked.Exchange(ref _lastSentTicks, DateTime.UtcNow.Ticks);
            _failures.TryRemove(message.MessageId, out _);
            return null;
        }
        catch (Exception ex)
        {
            LogSendFailed(logger, ex, message.SequenceNumber, message.MessageId);
            return ex;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {SequenceNumber} ({MessageId}) failed {Attempts} times ({Reason}); moved to outbox_dead_letter, the messages behind it go on")]
    private static partial void LogDeadLettered(ILogger logger, long sequenceNumber, Guid messageId, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox send failed for message {SequenceNumber} ({MessageId}); it stays in the outbox")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, long sequenceNumber, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {SequenceNumber} ({MessageId}) has no destination address; dropped")]
    private static partial void LogNoDestination(ILogger logger, long sequenceNumber, Guid messageId);
}
