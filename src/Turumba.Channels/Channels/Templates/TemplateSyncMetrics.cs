using System.Diagnostics.Metrics;
using Turumba.Platform.Telemetry;

namespace Turumba.Channels.Channels.Templates;

/// <summary>Template-sync instruments on the <c>Turumba</c> meter, exported at <c>/metrics</c>.</summary>
internal static class TemplateSyncMetrics
{
    /// <summary>Periodic syncs by <c>channel_type</c> and <c>outcome</c>: <c>synced</c> or <c>failed</c> (the provider refused or could not be reached).</summary>
    public static readonly Counter<long> Syncs = TurumbaTelemetry.Meter.CreateCounter<long>(
        "turumba.channels.template_syncs", description: "Periodic provider-template syncs of a channel, by channel type and outcome (synced, failed).");

    public static void Count(string channelType, string outcome) =>
        Syncs.Add(1, new KeyValuePair<string, object?>("channel_type", channelType), new KeyValuePair<string, object?>("outcome", outcome));
}
