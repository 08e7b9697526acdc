using MassTransit;
using Microsoft.Extensions.Logging;
using Npgsql;
using Turumba.Messaging.Messages.Store;
using Turumba.Platform.Hosting;

namespace Turumba.Messaging.Messages.Receipts;

/// <summary>
/// Role <c>status</c>: every two seconds, applies the parked reports (<see cref="EarlyReceipt"/>) whose
/// message now carries the provider's id, a thousand at a time, publishes what they moved and deletes
/// them; reports no message claimed within an hour are dropped (not ours, or their send failed).
/// Any number of instances may run it: applying a report twice changes nothing the second time.
/// </summary>
internal sealed partial class EarlyReceiptService(
    NpgsqlDataSource dataSource, MessageStore messages, IBus bus, TimeProvider clock, ILogger<EarlyReceiptService> logger) : PeriodicService(clock, logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private const int BatchSize = 1_000;

    private const string DueSql = """
        select r.id, r.channel_id, r.provider_message_id, r.status, r.occurred_at, r.error_code, r.error_message
          from messaging.early_receipts r
         where exists (select 1 from messaging.messages m
                        where m.channel_id = r.channel_id and m.provider_message_id = r.provider_message_id and m.direction = 'outbound')
         order by r.id
         limit $1
        """;

    private static readonly Dictionary<string, MessageStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["sent"] = MessageStatus.Sent,
        ["delivered"] = MessageStatus.Delivered,
        ["read"] = MessageStatus.Read,
        ["failed"] = MessageStatus.Failed,
    };

    protected override TimeSpan Interval => TimeSpan.FromSeconds(2);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        var reports = new List<StatusReport>();
        await using (var due = dataSource.CreateCommand(DueSql))
        {
            due.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            await using var reader = await due.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
                if (Statuses.TryGetValue(reader.GetString(3), out var status))
                {
                    reports.Add(new StatusReport(reader.GetGuid(1), reader.GetString(2), status, reader.GetFieldValue<DateTimeOffset>(4),
                        reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
                }
            }
        }

        if (ids.Count > 0)
        {
            var applied = await messages.ApplyStatusReportsAsync(reports, cancellationToken);
            if (applied.Count > 0)
            {
                await bus.Publish(StatusChanges.From(applied, Clock.GetUtcNow()), cancellationToken);
            }

            // Deleted only after the publish: a crash in between applies them again, which changes nothing.
            await using var delete = dataSource.CreateCommand("delete from messaging.early_receipts where id = any($1)");
            delete.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
            await delete.ExecuteNonQueryAsync(cancellationToken);
            LogApplied(Logger, ids.Count, applied.Count);
        }

        await using var expire = dataSource.CreateCommand("delete from messaging.early_receipts where received_at < $1");
        expire.Parameters.Add(new NpgsqlParameter { Value = Clock.GetUtcNow() - Lifetime });
        if (await expire.ExecuteNonQueryAsync(cancellationToken) is var expired and > 0)
        {
            LogExpired(Logger, expired);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Applied {Count} early receipt(s), {Moved} moved a message")]
    private static partial void LogApplied(ILogger logger, int count, int moved);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Count} receipt(s) no message claimed within an hour")]
    private static partial void LogExpired(ILogger logger, int count);
}
