using System.Diagnostics.Metrics;
using Turumba.Platform.Telemetry;

namespace Turumba.Groups.FanOut;

/// <summary>Group-send instruments on the <c>Turumba</c> meter, exported at <c>/metrics</c>.</summary>
internal static class FanOutMetrics
{
    public static readonly Counter<long> Recipients = TurumbaTelemetry.Meter.CreateCounter<long>(
        "turumba.groups.recipients", description: "Messages created by group-send fan-outs.");

    public static readonly Counter<long> Skipped = TurumbaTelemetry.Meter.CreateCounter<long>(
        "turumba.groups.skipped", description: "Contacts a fan-out skipped: no address on the channel, or skipped by the template's fallback.");

    public static readonly Counter<long> Suppressed = TurumbaTelemetry.Meter.CreateCounter<long>(
        "turumba.groups.suppressed", description: "Contacts a fan-out left out because their address is on the suppression list.");

    public static readonly Histogram<double> PageDuration = TurumbaTelemetry.Meter.CreateHistogram<double>(
        "turumba.groups.fan_out.page_duration", unit: "s", description: "Rendering, committing and enqueueing one fan-out page.");
}
