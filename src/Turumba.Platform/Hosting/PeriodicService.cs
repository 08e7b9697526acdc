using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace Turumba.Platform.Hosting;

/// <summary>
/// Work repeated every <see cref="Interval"/> until the host stops (maintenance jobs, progress
/// refreshes). A failure of the infrastructure (PostgreSQL, Redis, a timeout) is logged and the work
/// is tried again at the next tick; anything else is a bug and stops the host, as BackgroundService does.
/// </summary>
public abstract partial class PeriodicService : BackgroundService
{
    protected PeriodicService(TimeProvider clock, ILogger logger) => (Clock, Logger) = (clock, logger);

    protected TimeProvider Clock { get; }

    protected ILogger Logger { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>Also run once at start, before the first interval has passed.</summary>
    protected virtual bool RunsAtStart => false;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>After a logged failure, before the next tick (drop a connection that may be broken).</summary>
    protected virtual Task OnFailedAsync() => Task.CompletedTask;

    /// <summary>When the loop has ended, on the loop's own task (so it never races a run).</summary>
    protected virtual Task OnStoppedAsync() => Task.CompletedTask;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Clock);
        try
        {
            if (RunsAtStart)
            {
                await RunGuardedAsync(stoppingToken);
            }

            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunGuardedAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await OnStoppedAsync();
        }
    }

    private async Task RunGuardedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
        }
        catch (Exception ex) when (IsInfrastructureFailure(ex))
        {
            LogFailed(Logger, GetType().Name, Interval, ex);
            await OnFailedAsync();
        }
    }

    // EF wraps database failures: DbUpdateException from SaveChanges, and InvalidOperationException
    // ("likely due to a transient failure") from queries and transactions when PostgreSQL is away.
    private static bool IsInfrastructureFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException or RedisException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service} failed; trying again in {Interval}")]
    private static partial void LogFailed(ILogger logger, string service, TimeSpan interval, Exception exception);
}
