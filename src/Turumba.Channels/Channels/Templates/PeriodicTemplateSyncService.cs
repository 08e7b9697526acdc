using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Turumba.Platform.Hosting;
using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels.Templates;

/// <summary>
/// Role <c>maintenance</c>: every <see cref="TemplateSyncOptions.Interval"/> re-syncs the provider
/// templates of every enabled channel whose adapter keeps templates (WhatsApp with a <c>waba_id</c>),
/// so a status Meta changes (approved, paused, disabled) reaches the send check without anyone asking.
/// One instance at a time does it (a PostgreSQL advisory lock held for the run), and a channel synced
/// within the last 90% of the interval (on create, on demand, or by another instance's run) is left
/// alone, so several maintenance instances do not call Meta several times. One channel's provider
/// failing is logged and counted and the run goes on with the next; only the database failing ends
/// the run (waited out by <see cref="PeriodicService"/>).
/// </summary>
internal sealed partial class PeriodicTemplateSyncService(
    NpgsqlDataSource dataSource, IServiceScopeFactory scopes, IOptions<TemplateSyncOptions> options, TimeProvider clock,
    ILogger<PeriodicTemplateSyncService> logger)
    : PeriodicService(clock, logger)
{
    private const long LeaderLockKey = 0x7475_7275_6d62_6102; // "turumba" + 2

    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        // A connection of its own holds the lock; it ends with the run (or with the session, if that breaks).
        await using var leader = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await TryLockAsync(leader, cancellationToken))
        {
            return;
        }

        try
        {
            await SyncDueAsync(cancellationToken);
        }
        finally
        {
            await UnlockAsync(leader);
        }
    }

    private async Task SyncDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
        var sync = scope.ServiceProvider.GetRequiredService<ChannelTemplateSync>();
        var syncedSince = Clock.GetUtcNowForDatabase() - Interval * 0.9;
        var due = await db.Set<Channel>().IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.IsEnabled && !db.Set<ChannelTemplate>().Any(t => t.ChannelId == c.Id && t.SyncedAt > syncedSince))
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);
        foreach (var channel in due)
        {
            db.ChangeTracker.Clear();
            try
            {
                if (await sync.SyncAsync(db, channel, cancellationToken) is { } synced)
                {
                    TemplateSyncMetrics.Count(channel.ChannelType, "synced");
                    LogSynced(Logger, channel.Id, synced.Count);
                }
            }
            catch (ChannelAdapterException ex)
            {
                TemplateSyncMetrics.Count(channel.ChannelType, "failed");
                LogFailed(Logger, channel.Id, ex.GetType().Name, ex.Message);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or KeyNotFoundException or InvalidOperationException
                && ex.Source != "Npgsql")
            {
                // An answer that is not what the provider documents: this channel's problem, not the run's.
                TemplateSyncMetrics.Count(channel.ChannelType, "failed");
                LogFailed(Logger, channel.Id, ex.GetType().Name, ex.Message);
            }
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = LeaderLockKey });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Never throws: a session that broke took its lock with it.</summary>
    private static async Task UnlockAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var command = new NpgsqlCommand("select pg_advisory_unlock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = LeaderLockKey });
            await command.ExecuteScalarAsync();
        }
        catch (Exception ex) when (TransientFailure.Is(ex))
        {
            NpgsqlConnection.ClearPool(connection);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Periodic template sync of channel {ChannelId}: {Count} templates")]
    private static partial void LogSynced(ILogger logger, Guid channelId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Periodic template sync of channel {ChannelId} failed ({Error}): {Reason}; the stored templates stay until the next run")]
    private static partial void LogFailed(ILogger logger, Guid channelId, string error, string reason);
}
