using Microsoft.Extensions.Logging;
using Npgsql;
using Turumba.Platform.Hosting;

namespace Turumba.Messaging.Messages.Partitions;

/// <summary>
/// Role <c>maintenance</c>: keeps <see cref="MessagePartitions.MonthsAhead"/> monthly partitions of
/// the messages table ahead of the clock, at start and every six hours.
/// </summary>
internal sealed partial class PartitionMaintenanceService(
    NpgsqlDataSource dataSource, TimeProvider clock, ILogger<PartitionMaintenanceService> logger) : PeriodicService(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(6);

    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select messaging.ensure_message_partitions($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = Clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter { Value = MessagePartitions.MonthsAhead });
        var created = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (created > 0)
        {
            LogCreated(Logger, created);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} monthly partition(s) of messaging.messages")]
    private static partial void LogCreated(ILogger Logger, int count);
}
