using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Platform.Hosting;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Scheduled;

/// <summary>
/// Role <c>scheduling</c>: a message posted with a future <c>scheduled_at</c> (or prepared ahead by
/// the scheduling trigger) waits as <c>scheduled</c>; when it is due this moves it to <c>queued</c>
/// and sends its dispatch commands in the same transaction (bus outbox), a batch at a time, a
/// hundred messages per command. It sleeps until the nearest <c>scheduled_at</c> or
/// <c>deferred_until</c>, never longer than <see cref="PollInterval"/> (a message posted meanwhile).
/// <c>SKIP LOCKED</c> lets several scheduling instances share the work without releasing a message
/// twice; a message cancelled meanwhile is no longer <c>scheduled</c> and is left alone. It also
/// releases queued messages deferred to a later time (<see cref="DeferredMessageRelease"/>); a
/// scheduled message that is also deferred (its time falls in quiet hours) becomes queued here and is
/// sent by that release when the deferral ends.
/// </summary>
internal sealed partial class ScheduledMessageReleaseService(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, IChannelCatalog channels, DeferredMessageRelease deferred, TimeProvider clock,
    ILogger<ScheduledMessageReleaseService> logger)
    : BackgroundService
{
    private const int BatchSize = 1000;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private const string ReleaseSql = """
        update messaging.messages m
           set status = 'queued', updated_at = $1,
               deferred_until = case when m.deferred_until <= $1 then null else m.deferred_until end
          from (select id, created_at from messaging.messages
                 where status = 'scheduled' and scheduled_at <= $1
                 order by scheduled_at
                 limit $2
                 for update skip locked) due
         where m.id = due.id and m.created_at = due.created_at
        returning m.id, m.created_at, m.account_id, m.channel_id, m.deferred_until, m.scheduled_at
        """;

    // Both answered from the partial indexes ix_messages_scheduled_at and ix_messages_deferred_until.
    private const string NextDueSql = """
        select least((select min(scheduled_at) from messaging.messages where status = 'scheduled'),
                     (select min(deferred_until) from messaging.messages where status = 'queued' and deferred_until is not null))
        """;

    private readonly OutageLog _outage = new(logger, nameof(ScheduledMessageReleaseService));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(PollInterval, TimeSpan.FromSeconds(30));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan sleep;
                try
                {
                    while (await ReleaseBatchAsync(stoppingToken) == BatchSize)
                    {
                    }

                    while (await ReleaseDeferredAsync(stoppingToken) == BatchSize)
                    {
                    }

                    sleep = SleepUntil(await NextDueAsync(stoppingToken));
                    backoff.Reset();
                    _outage.Succeeded(clock);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && TransientFailure.Is(ex))
                {
                    sleep = backoff.Next();
                    _outage.Failed(ex, sleep, clock);
                }

                await Task.Delay(sleep, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogCannotContinue(logger, ex);
            throw;
        }
    }

    private TimeSpan SleepUntil(DateTimeOffset? next)
    {
        if (next is null)
        {
            return PollInterval;
        }

        // A millisecond past it, so "scheduled_at <= now" holds when the timer fires.
        var until = next.Value - clock.GetUtcNow() + TimeSpan.FromMilliseconds(1);
        return until <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromTicks(Math.Min(until.Ticks, PollInterval.Ticks));
    }

    private async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(NextDueSql);
        var next = await command.ExecuteScalarAsync(cancellationToken);
        return next is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    private async Task<int> ReleaseDeferredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var count = await deferred.ReleaseBatchAsync(db, scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>(),
            clock.GetUtcNowForDatabase(), BatchSize, cancellationToken);
        if (count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogReleasedDeferred(logger, count);
        }

        return count;
    }

    private async Task<int> ReleaseBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
        var sendEndpoints = scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNowForDatabase();
        var released = new List<Released>();
        await using (var command = new NpgsqlCommand(ReleaseSql, (NpgsqlConnection)db.Database.GetDbConnection()))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            command.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                released.Add(new Released(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetGuid(2), reader.GetGuid(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }

        if (released.Count == 0)
        {
            return 0;
        }

        // One still deferred (quiet hours outlast its time) is sent by the deferred release when they end.
        foreach (var ofChannel in released.Where(m => m.DeferredUntil is null).GroupBy(m => m.ChannelId))
        {
            // A channel deleted since the message was posted: nothing could send it, so no command.
            if (await channels.FindAsync(ofChannel.Key, cancellationToken) is not { } channel)
            {
                continue;
            }

            var endpoint = await sendEndpoints.GetSendEndpoint(DispatchQueues.AddressFor(channel.ChannelType));
            await DispatchCommands.SendAsync(endpoint, channel, ofChannel.Select(m => (m.Id, m.CreatedAt, m.AccountId)), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var committed = clock.GetUtcNow();
        foreach (var message in released)
        {
            ReleaseMetrics.Lag.Record(Math.Max(0, (committed - message.ScheduledAt).TotalSeconds));
        }

        LogReleased(logger, released.Count);
        return released.Count;
    }

    private sealed record Released(
        Guid Id, DateTimeOffset CreatedAt, Guid AccountId, Guid ChannelId, DateTimeOffset? DeferredUntil, DateTimeOffset ScheduledAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} scheduled message(s) for dispatch")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} deferred message(s) for dispatch")]
    private static partial void LogReleasedDeferred(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The scheduled message release cannot continue; stopping the host")]
    private static partial void LogCannotContinue(ILogger logger, Exception exception);
}
