using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Platform.Hosting;

namespace Turumba.Messaging.Messages.Sweeping;

/// <summary>
/// Role <c>maintenance</c>: sends again the dispatch command of messages left <c>queued</c> without
/// one — dead-lettered after an outage outlasted its retries, or lost between a commit and the
/// broker. A duplicate is harmless (dispatch claims with a compare-and-set under a per-command
/// lock), but a flood is not, so a message is sent again at most once per threshold (its
/// <c>updated_at</c> marks the last time), never while any message of its group send moved within
/// the threshold (the send is alive: waiting for its rate limit or its turn), and at most
/// <see cref="QueuedSweepOptions.MaxPerSweep"/> per sweep. Messages of a channel that is disabled or
/// gone are left queued, as dispatch would leave them.
/// </summary>
internal sealed partial class QueuedSweeperService(
    NpgsqlDataSource dataSource, IChannelCatalog channels, IBus bus, IOptions<QueuedSweepOptions> options, TimeProvider clock,
    ILogger<QueuedSweeperService> logger) : PeriodicService(clock, logger)
{
    private const int BatchSize = 100;

    // skip locked: two maintenance instances never take the same message; the updated_at bump is
    // what keeps the next sweeps off it for a threshold.
    private const string SweepSql = """
        with stale as (
            select m.id, m.created_at
              from messaging.messages m
             where m.status = 'queued' and m.direction = 'outbound' and m.updated_at < now() - $1::interval
               and m.deferred_until is null
               and (m.group_message_id is null or not exists (
                    select 1 from messaging.messages g
                     where g.group_message_id = m.group_message_id and g.updated_at >= now() - $1::interval))
             order by m.updated_at
             limit $2
               for update skip locked
        )
        update messaging.messages m set updated_at = now()
          from stale
         where m.id = stale.id and m.created_at = stale.created_at and m.status = 'queued'
        returning m.id, m.created_at, m.account_id, m.channel_id, m.group_message_id
        """;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var stale = await TakeStaleAsync(cancellationToken);
        foreach (var ofChannel in stale.GroupBy(s => s.ChannelId))
        {
            var channel = await channels.FindAsync(ofChannel.Key, cancellationToken);
            if (channel is null || !channel.IsEnabled)
            {
                continue;
            }

            var endpoint = await bus.GetSendEndpoint(DispatchQueues.AddressFor(channel.ChannelType));
            foreach (var single in ofChannel.Where(s => s.GroupMessageId is null))
            {
                await endpoint.Send(new DispatchMessage(single.Id, single.CreatedAt, single.AccountId, channel.Id, channel.ChannelType), cancellationToken);
            }

            foreach (var batch in ofChannel.Where(s => s.GroupMessageId is not null).Chunk(BatchSize))
            {
                await endpoint.Send(new DispatchBatch(Guid.CreateVersion7(), channel.AccountId, channel.Id, channel.ChannelType,
                    batch.Select(s => new DispatchItem(s.Id, s.CreatedAt)).ToList()), cancellationToken);
            }

            LogRedispatched(Logger, ofChannel.Count(), channel.Id);
        }
    }

    private async Task<List<StaleMessage>> TakeStaleAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SweepSql);
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.Threshold });
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.MaxPerSweep });
        var stale = new List<StaleMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stale.Add(new StaleMessage(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetGuid(2), reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4)));
        }

        return stale;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sent the dispatch command again for {Count} message(s) of channel {ChannelId} left queued past the threshold")]
    private static partial void LogRedispatched(ILogger logger, int count, Guid channelId);

    private sealed record StaleMessage(Guid Id, DateTimeOffset CreatedAt, Guid AccountId, Guid ChannelId, Guid? GroupMessageId);
}
