using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turumba.Platform.Hosting;

namespace Turumba.Scheduling.Trigger;

/// <summary>
/// Role <c>scheduling</c>: every <see cref="SchedulingOptions.PollInterval"/> fires due schedules,
/// batch after batch until none is left. Any number of instances may run it (the batches skip each
/// other's rows); a PostgreSQL or Redis failure rolls the batch back and is retried at the next tick.
/// </summary>
internal sealed class SchedulingTriggerService(
    ScheduleTrigger trigger, IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<SchedulingTriggerService> logger)
    : PeriodicService(clock, logger)
{
    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        while (await trigger.RunBatchAsync(cancellationToken) == options.Value.BatchSize)
        {
        }
    }
}
