using System.Diagnostics.Metrics;
using Turumba.Platform.Telemetry;

namespace Turumba.Messaging.Messages.Scheduled;

/// <summary>Scheduled-release instruments on the <c>Turumba</c> meter, exported at <c>/metrics</c>.</summary>
internal static class ReleaseMetrics
{
    /// <summary>How late a scheduled message was released: the on-time figure of scheduled sends, whether posted with <c>scheduled_at</c> or prepared by a schedule.</summary>
    public static readonly Histogram<double> Lag = TurumbaTelemetry.Meter.CreateHistogram<double>(
        "turumba.messaging.release_lag", unit: "s", description: "From a scheduled message's scheduled_at to the commit of its release for dispatch.");
}
