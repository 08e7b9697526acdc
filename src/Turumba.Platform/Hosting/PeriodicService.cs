using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Turumba.Platform.Hosting;

/// <summary>
/// Work repeated every <see cref="Interval"/> until the host stops (maintenance jobs, progress
/// refreshes). A failure of the infrastructure (<see cref="TransientFailure"/>: PostgreSQL, Redis,
/// RabbitMQ, a timeout) is logged once per outage and the work is tried again with a growing wait
/// (up to 30 s) until it recovers; anything else is a bug: it is logged as critical and stops the
/// host, which then exits with code 1 (see ServeCommand).
/// </summary>
public abstract partial class PeriodicService : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly OutageLog _outage;

    protected PeriodicService(TimeProvider clock, ILogger logger)
    {
        (Clock, Logger) = (clock, logger);
        _outage = new OutageLog(logger, GetType().Name);
    }

    protected TimeProvider Clock { get; }

    protected ILogger Logger { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>Also run once at start, before the first interval has passed.</summary>
    protected virtual bool RunsAtStart => false;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>After a logged failure, before the next try (drop a connection that may be broken). Must not throw.</summary>
    protected virtual Task OnFailedAsync() => Task.CompletedTask;

    /// <summary>When the loop has ended, on the loop's own task (so it never races a run).</summary>
    protected virtual Task OnStoppedAsync() => Task.CompletedTask;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Clock);
        var backoff = new Backoff(Interval, TimeSpan.FromTicks(Math.Max(Interval.Ticks, MaxBackoff.Ticks)));
        try
        {
            var due = RunsAtStart || await timer.WaitForNextTickAsync(stoppingToken);
            while (due)
            {
                if (await RunGuardedAsync(stoppingToken) is not { } failure)
                {
                    backoff.Reset();
                    due = await timer.WaitForNextTickAsync(stoppingToken);
                    continue;
                }

                // Waited out here rather than on the timer, so attempts thin out while the outage lasts.
                var wait = backoff.Next();
                _outage.Failed(failure, wait, Clock);
                await OnFailedAsync();
                await Task.Delay(wait, Clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogCannotContinue(Logger, GetType().Name, ex);
            throw;
        }
        finally
        {
            await OnStoppedAsync();
        }
    }

    /// <returns>The failure, when the run failed for a reason worth waiting out.</returns>
    private async Task<Exception?> RunGuardedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
            _outage.Succeeded(Clock);
            return null;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested && TransientFailure.Is(ex))
        {
            return ex;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Service} cannot continue; stopping the host")]
    private static partial void LogCannotContinue(ILogger logger, string service, Exception exception);
}
