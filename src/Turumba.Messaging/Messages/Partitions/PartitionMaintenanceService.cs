using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Turumba.Messaging.Messages.Partitions;

/// <summary>
/// Role <c>maintenance</c>: keeps <see cref="MessagePartitions.MonthsAhead"/> monthly partitions of
/// the messages table ahead of the clock, at start and every six hours.
/// </summary>
internal sealed partial class PartitionMaintenanceService(
    NpgsqlDataSource dataSource, TimeProvider clock, ILogger<PartitionMaintenanceService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var command = dataSource.CreateCommand("select messaging.ensure_message_partitions($1, $2)");
                command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
                command.Parameters.Add(new NpgsqlParameter { Value = MessagePartitions.MonthsAhead });
                var created = (int)(await command.ExecuteScalarAsync(stoppingToken))!;
                if (created > 0)
                {
                    LogCreated(logger, created);
                }
            }
            catch (NpgsqlException ex)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} monthly partition(s) of messaging.messages")]
    private static partial void LogCreated(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create message partitions; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
