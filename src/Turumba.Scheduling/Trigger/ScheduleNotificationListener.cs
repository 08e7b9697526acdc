using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Turumba.Platform.Hosting;

namespace Turumba.Scheduling.Trigger;

/// <summary>
/// Role <c>scheduling</c>: one connection <c>LISTEN</c>ing on <see cref="Channel"/>, which a trigger
/// on <c>scheduling.scheduled_messages</c> notifies when a pending schedule is inserted or its time
/// or status changes — at the commit of that change, from any instance — so the trigger recomputes
/// its sleep at once. A lost connection is opened again with a growing wait; meanwhile the trigger
/// still wakes at the nearest due time it knew and at least every <see cref="SchedulingOptions.PollInterval"/>.
/// </summary>
internal sealed class ScheduleNotificationListener(
    NpgsqlDataSource dataSource, ScheduleWakeSignal wake, TimeProvider clock, ILogger<ScheduleNotificationListener> logger) : BackgroundService
{
    public const string Channel = "turumba_schedules";

    /// <summary>The connection's <c>application_name</c>, so an operator (or a test) can find it in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "turumba schedule listener";

    private static readonly TimeSpan ProbeAfter = TimeSpan.FromSeconds(10);

    private readonly OutageLog _outage = new(logger, "Schedule notifications (the trigger falls back to its timer meanwhile)");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => wake.Set();
                await using (var listen = new NpgsqlCommand($"set application_name = '{ApplicationName}'; listen {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever changed while nobody listened is seen now.
                wake.Set();
                backoff.Reset();
                _outage.Succeeded(clock);
                while (!stoppingToken.IsCancellationRequested)
                {
                    // A quiet connection is probed now and then: a dead one would otherwise wait forever.
                    if (!await connection.WaitAsync(ProbeAfter, stoppingToken))
                    {
                        await using var probe = new NpgsqlCommand("select 1", connection);
                        await probe.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                var wait = backoff.Next();
                _outage.Failed(ex, wait, clock);
                try
                {
                    await Task.Delay(wait, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
