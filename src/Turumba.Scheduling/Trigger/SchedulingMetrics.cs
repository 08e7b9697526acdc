using System.Diagnostics.Metrics;
using Turumba.Platform.Telemetry;

namespace Turumba.Scheduling.Trigger;

/// <summary>Scheduling instruments on the <c>Turumba</c> meter, exported at <c>/metrics</c>.</summary>
internal static class SchedulingMetrics
{
    public static readonly Counter<long> Due = TurumbaTelemetry.Meter.CreateCounter<long>(
        "turumba.scheduling.due", description: "Due schedules claimed by a trigger.");

    public static readonly Counter<long> Runs = TurumbaTelemetry.Meter.CreateCounter<long>(
        "turumba.scheduling.runs", description: "Schedule runs, by outcome (sent, failed, duplicate).");

    public static readonly Histogram<double> Lag = TurumbaTelemetry.Meter.CreateHistogram<double>(
        "turumba.scheduling.trigger_lag", unit: "s", description: "From a run's time to the commit of its send.");
}
