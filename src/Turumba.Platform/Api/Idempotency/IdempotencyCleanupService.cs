using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Turumba.Platform.Api.Idempotency;

/// <summary>Role <c>maintenance</c>: deletes idempotency records older than their 24-hour lifetime, hourly.</summary>
internal sealed partial class IdempotencyCleanupService(
    NpgsqlDataSource dataSource, TimeProvider clock, ILogger<IdempotencyCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await using var command = dataSource.CreateCommand("delete from platform.idempotency_keys where created_at < $1");
                command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() - IdempotencyFilter.Lifetime });
                var deleted = await command.ExecuteNonQueryAsync(stoppingToken);
                LogDeleted(logger, deleted);
            }
            catch (NpgsqlException ex)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Count} expired idempotency record(s)")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not delete expired idempotency records; retrying in an hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
