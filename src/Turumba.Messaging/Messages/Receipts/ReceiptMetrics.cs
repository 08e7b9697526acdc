using System.Diagnostics.Metrics;
using Turumba.Platform.Telemetry;

namespace Turumba.Messaging.Messages.Receipts;

/// <summary>Receipt instruments on the <c>Turumba</c> meter, exported at <c>/metrics</c>.</summary>
internal static class ReceiptMetrics
{
    /// <summary>
    /// Receipts by <c>outcome</c>: <c>applied</c>, or <c>ignored</c> — no message has that provider id on
    /// the channel, or the message is already further on. Either way the provider was answered and
    /// will not send it again.
    /// </summary>
    public static readonly Counter<long> Receipts = TurumbaTelemetry.Meter.CreateCounter<long>(
        "turumba.messaging.receipts", description: "Provider status reports received, by outcome (applied, ignored).");
}
