using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Turumba.Groups.FanOut;

/// <summary>
/// Role <c>groups</c>: every two seconds, refreshes the counters of group sends in progress from
/// their messages (one grouped statement for all of them) and closes those whose fan-out is done
/// and whose every message reached a final state: completed, partially_failed, or failed.
/// </summary>
internal sealed partial class GroupProgressService(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<GroupProgressService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private const string RefreshSql = """
        with counts as (
            select g.id,
                   count(m.id) filter (where m.status = 'sent') as sent,
                   count(m.id) filter (where m.status in ('delivered', 'read')) as delivered,
                   count(m.id) filter (where m.status in ('failed', 'permanently_failed')) as failed,
                   count(m.id) filter (where m.status in ('queued', 'sending', 'scheduled')) as pending
              from groups.group_messages g
              left join messaging.messages m on m.group_message_id = g.id
             where g.status = 'processing'
             group by g.id)
        update groups.group_messages g
           set sent_count = c.sent, delivered_count = c.delivered, failed_count = c.failed, pending_count = c.pending,
               status = case when g.fan_out_completed and c.pending = 0
                             then case when g.total_recipients = 0 or c.failed = g.total_recipients then 'failed'
                                       when c.failed > 0 then 'partially_failed'
                                       else 'completed' end
                             else g.status end,
               completed_at = case when g.fan_out_completed and c.pending = 0 then now() else g.completed_at end,
               updated_at = now()
          from counts c
         where g.id = c.id and g.status = 'processing'
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var command = dataSource.CreateCommand(RefreshSql);
                await command.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not refresh group send progress; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
