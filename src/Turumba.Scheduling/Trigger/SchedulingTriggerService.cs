using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turumba.Platform.Hosting;

namespace Turumba.Scheduling.Trigger;

/// <summary>
/// Role <c>scheduling</c>: fires due schedules, batch after batch until none is left, then sleeps
/// until the nearest <c>next_trigger_at</c> — at most <see cref="SchedulingOptions.PollInterval"/>,
/// and less when <see cref="ScheduleNotificationListener"/> reports a new or changed schedule. Any
/// number of instances may run it (the batches skip each other's rows); a PostgreSQL or Redis failure
/// rolls the batch back and is tried again with a growing wait.
/// </summary>
internal sealed partial class SchedulingTriggerService(
    ScheduleTrigger trigger, ScheduleWakeSignal wake, IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<SchedulingTriggerService> logger)
    : BackgroundService
{
    // Due rows that another instance holds locked: look again soon, without spinning.
    private static readonly TimeSpan HeldElsewhereWait = TimeSpan.FromMilliseconds(100);

    private readonly OutageLog _outage = new(logger, nameof(SchedulingTriggerService));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan sleep;
                try
                {
                    var claimed = await FireDueAsync(stoppingToken);
                    sleep = SleepUntil(await trigger.NextDueAsync(stoppingToken), claimed);
                    backoff.Reset();
                    _outage.Succeeded(clock);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && TransientFailure.Is(ex))
                {
                    var wait = backoff.Next();
                    _outage.Failed(ex, wait, clock);
                    await Task.Delay(wait, clock, stoppingToken);
                    continue;
                }

                await wake.WaitAsync(sleep, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogCannotContinue(logger, ex);
            throw;
        }
    }

    /// <summary>
    /// <see cref="SchedulingOptions.Workers"/> loops claim batches side by side (SKIP LOCKED keeps them
    /// apart) until one comes back short; returns how many schedules were claimed.
    /// </summary>
    private async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        var claimed = 0;
        await Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(async _ =>
        {
            int count;
            do
            {
                count = await trigger.RunBatchAsync(cancellationToken);
                Interlocked.Add(ref claimed, count);
            }
            while (count == options.Value.BatchSize);
        }));
        return claimed;
    }

    private TimeSpan SleepUntil(DateTimeOffset? next, int claimed)
    {
        var cap = options.Value.PollInterval;
        if (next is null)
        {
            return cap;
        }

        var until = next.Value - clock.GetUtcNow();
        if (until <= TimeSpan.Zero)
        {
            // Still due after a pass: either the pass just ended (look again now) or the rows are locked by another instance.
            return claimed > 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(HeldElsewhereWait.Ticks, cap.Ticks));
        }

        // A millisecond past the due time, so the claim's "next_trigger_at <= now" holds when the timer fires.
        return TimeSpan.FromTicks(Math.Min(until.Ticks + TimeSpan.TicksPerMillisecond, cap.Ticks));
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The scheduling trigger cannot continue; stopping the host")]
    private static partial void LogCannotContinue(ILogger logger, Exception exception);
}
