using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Scheduled;

/// <summary>
/// Releases queued messages whose <c>deferred_until</c> has come (a recipient's local time, the end
/// of quiet hours): clears it and sends their dispatch commands, in the caller's transaction (bus
/// outbox). The same claim as scheduled messages (<c>SKIP LOCKED</c>), so several scheduling
/// instances never release one twice; a message cancelled meanwhile is no longer queued.
/// </summary>
internal sealed class DeferredMessageRelease(IChannelCatalog channels)
{
    private const string ReleaseSql = """
        update messaging.messages m
           set deferred_until = null, updated_at = $1
          from (select id, created_at from messaging.messages
                 where status = 'queued' and deferred_until <= $1
                 order by deferred_until
                 limit $2
                 for update skip locked) due
         where m.id = due.id and m.created_at = due.created_at
        returning m.id, m.created_at, m.account_id, m.channel_id, m.group_message_id
        """;

    /// <summary>Releases up to <paramref name="batchSize"/> due messages; returns how many.</summary>
    public async Task<int> ReleaseBatchAsync(
        TurumbaDbContext db, ISendEndpointProvider sendEndpoints, DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        var released = new List<Released>();
        await using (var command = new NpgsqlCommand(ReleaseSql, (NpgsqlConnection)db.Database.GetDbConnection()))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            command.Parameters.Add(new NpgsqlParameter { Value = batchSize });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                released.Add(new Released(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetGuid(2), reader.GetGuid(3),
                    reader.IsDBNull(4) ? null : reader.GetGuid(4)));
            }
        }

        foreach (var ofChannel in released.GroupBy(m => m.ChannelId))
        {
            // A channel deleted meanwhile: nothing could send them, so no command (as for scheduled messages).
            if (await channels.FindAsync(ofChannel.Key, cancellationToken) is not { } channel)
            {
                continue;
            }

            var endpoint = await sendEndpoints.GetSendEndpoint(DispatchQueues.AddressFor(channel.ChannelType));
            // A zone's recipients of a group send come due together: commands per group send, as the fan-out sends them.
            foreach (var ofSend in ofChannel.GroupBy(m => m.GroupMessageId))
            {
                await DispatchCommands.SendAsync(endpoint, channel, ofSend.Select(m => (m.Id, m.CreatedAt, m.AccountId)), cancellationToken);
            }
        }

        return released.Count;
    }

    private sealed record Released(Guid Id, DateTimeOffset CreatedAt, Guid AccountId, Guid ChannelId, Guid? GroupMessageId);
}
