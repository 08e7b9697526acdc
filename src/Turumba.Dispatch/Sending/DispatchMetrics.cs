using System.Diagnostics.Metrics;
using Turumba.Platform.Telemetry;

namespace Turumba.Dispatch.Sending;

/// <summary>Dispatch instruments on the <c>Turumba</c> meter, exported at <c>/metrics</c>.</summary>
internal static class DispatchMetrics
{
    public static readonly Counter<long> Dispatched = TurumbaTelemetry.Meter.CreateCounter<long>(
        "turumba.dispatch.messages", description: "Messages dispatched, by channel type and outcome.");

    public static readonly Histogram<double> Duration = TurumbaTelemetry.Meter.CreateHistogram<double>(
        "turumba.dispatch.duration", unit: "s",
        description: "From claiming a message to its outcome (sent, failed, permanently_failed, …), by channel type, provider and outcome; retries included.");

    public static readonly Counter<long> RateLimitHits = TurumbaTelemetry.Meter.CreateCounter<long>(
        "turumba.dispatch.rate_limit_hits", description: "Times a send had to wait for a rate-limit slot or a provider pause.");
}
