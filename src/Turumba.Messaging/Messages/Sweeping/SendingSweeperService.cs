using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Turumba.Contracts;
using Turumba.Platform;
using Turumba.Platform.Hosting;

namespace Turumba.Messaging.Messages.Sweeping;

/// <summary>
/// Role <c>maintenance</c>: a message left in <c>sending</c> past the timeout was claimed by a
/// dispatcher that died during the provider call. Sending it again could send it twice, so it is
/// closed as <c>failed</c> with the code <c>outcome_unknown</c> — visible, final, and letting its
/// group send finish — in batches of 1,000 (partial index on <c>updated_at</c> where sending).
/// </summary>
internal sealed partial class SendingSweeperService(
    NpgsqlDataSource dataSource, IBus bus, IOptions<SendingSweepOptions> options, TimeProvider clock,
    ILogger<SendingSweeperService> logger) : PeriodicService(clock, logger)
{
    public const string OutcomeUnknown = "outcome_unknown";
    private const int BatchSize = 1_000;

    private const string SweepSql = """
        update messaging.messages m
           set status = 'failed', failed_at = now(), updated_at = now(),
               error_details = jsonb_build_object('code', 'outcome_unknown', 'message',
                   'The dispatcher stopped during the provider call; the provider may or may not have the message. It is not sent again.')
          from (select id, created_at from messaging.messages
                 where status = 'sending' and updated_at < now() - $1::interval
                 limit $2) stale
         where m.id = stale.id and m.created_at = stale.created_at and m.status = 'sending'
        returning m.id, m.created_at, m.account_id, m.channel_id, m.group_message_id
        """;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        while (await SweepBatchAsync(cancellationToken) == BatchSize)
        {
        }
    }

    private async Task<int> SweepBatchAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SweepSql);
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.Timeout });
        command.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
        var swept = new List<MessageStatusChange>();
        var now = Clock.GetUtcNow();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                swept.Add(new MessageStatusChange(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetGuid(2), reader.GetGuid(3),
                    reader.IsDBNull(4) ? null : reader.GetGuid(4), MessageStatus.Failed.ToSnakeCase(), null, OutcomeUnknown, now,
                    MessageStatus.Sending.ToSnakeCase()));
            }
        }

        if (swept.Count == 0)
        {
            return 0;
        }

        LogSwept(Logger, swept.Count);
        await bus.Publish(new MessageStatusesChanged(swept), cancellationToken);
        return swept.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed {Count} message(s) stuck in sending as failed (outcome_unknown)")]
    private static partial void LogSwept(ILogger Logger, int count);
}
