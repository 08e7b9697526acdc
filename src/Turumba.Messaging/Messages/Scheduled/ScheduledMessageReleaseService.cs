using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Platform.Hosting;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Scheduled;

/// <summary>
/// Role <c>scheduling</c>: a message posted with a future <c>scheduled_at</c> waits as
/// <c>scheduled</c>; when it is due this moves it to <c>queued</c> and sends its dispatch command in
/// the same transaction (bus outbox), a batch at a time. <c>SKIP LOCKED</c> lets several scheduling
/// instances share the work without releasing a message twice; a message cancelled meanwhile is no
/// longer <c>scheduled</c> and is left alone. It also releases queued messages deferred to a later
/// time (<see cref="DeferredMessageRelease"/>); a scheduled message that is also deferred (its time
/// falls in quiet hours) becomes queued here and is sent by that release when the deferral ends.
/// </summary>
internal sealed partial class ScheduledMessageReleaseService(
    IServiceScopeFactory scopes, IChannelCatalog channels, DeferredMessageRelease deferred, TimeProvider clock,
    ILogger<ScheduledMessageReleaseService> logger)
    : PeriodicService(clock, logger)
{
    private const int BatchSize = 500;

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
        returning m.id, m.created_at, m.account_id, m.channel_id, m.deferred_until
        """;

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(500);

    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        while (await ReleaseBatchAsync(cancellationToken) == BatchSize)
        {
        }

        while (await ReleaseDeferredAsync(cancellationToken) == BatchSize)
        {
        }
    }

    private async Task<int> ReleaseDeferredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var count = await deferred.ReleaseBatchAsync(db, scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>(),
            Clock.GetUtcNowForDatabase(), BatchSize, cancellationToken);
        if (count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogReleasedDeferred(Logger, count);
        }

        return count;
    }

    private async Task<int> ReleaseBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
        var sendEndpoints = scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Clock.GetUtcNowForDatabase();
        var released = new List<(Guid Id, DateTimeOffset CreatedAt, Guid AccountId, Guid ChannelId, DateTimeOffset? DeferredUntil)>();
        await using (var command = new NpgsqlCommand(ReleaseSql, (NpgsqlConnection)db.Database.GetDbConnection()))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            command.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                released.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetGuid(2), reader.GetGuid(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
            }
        }

        if (released.Count == 0)
        {
            return 0;
        }

        // One still deferred (quiet hours outlast its time) is sent by the deferred release when they end.
        foreach (var message in released.Where(m => m.DeferredUntil is null))
        {
            // A channel deleted since the message was posted: nothing could send it, so no command.
            var channelType = (await channels.FindAsync(message.ChannelId, cancellationToken))?.ChannelType;
            if (channelType is null)
            {
                continue;
            }

            var endpoint = await sendEndpoints.GetSendEndpoint(DispatchQueues.AddressFor(channelType));
            await endpoint.Send(new DispatchMessage(message.Id, message.CreatedAt, message.AccountId, message.ChannelId, channelType), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogReleased(Logger, released.Count);
        return released.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} scheduled message(s) for dispatch")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} deferred message(s) for dispatch")]
    private static partial void LogReleasedDeferred(ILogger logger, int count);
}
