using Microsoft.Extensions.Logging;
using Npgsql;
using Turumba.Platform.Api.Idempotency;
using Turumba.Platform.Hosting;

namespace Turumba.Messaging.Messages.Batch;

/// <summary>Role <c>maintenance</c>: deletes batch items' idempotency keys older than their 24-hour lifetime, hourly.</summary>
internal sealed partial class BatchItemKeyCleanupService(
    NpgsqlDataSource dataSource, TimeProvider clock, ILogger<BatchItemKeyCleanupService> logger) : PeriodicService(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("delete from messaging.batch_item_keys where created_at < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Clock.GetUtcNow() - IdempotencyFilter.Lifetime });
        LogDeleted(Logger, await command.ExecuteNonQueryAsync(cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Count} expired batch item key(s)")]
    private static partial void LogDeleted(ILogger Logger, int count);
}
