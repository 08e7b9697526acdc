using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Turumba.Outbox;
using Turumba.Platform.Hosting;

namespace Turumba.Platform.Telemetry;

/// <summary>
/// Role <c>maintenance</c>: every 15 s reads the outbox backlog (messages waiting in bus outboxes and
/// in consumer outboxes, and the age of the oldest undelivered bus outbox) and publishes it as
/// gauges. Gauges cannot query a database, so they read the last sample; one maintenance instance
/// is enough to watch the whole installation.
/// </summary>
internal sealed class OutboxBacklogSampler : PeriodicService
{
    private readonly IOutboxBacklog _backlog;
    private OutboxBacklogSnapshot? _last;

    public OutboxBacklogSampler(IOutboxBacklog backlog, TimeProvider clock, ILogger<OutboxBacklogSampler> logger)
        : base(clock, logger)
    {
        _backlog = backlog;
        TurumbaTelemetry.Meter.CreateObservableGauge("turumba.outbox.backlog", () => _last is { } last
            ? [new Measurement<long>(last.BusOutboxMessages, new KeyValuePair<string, object?>("kind", "bus")),
               new Measurement<long>(last.ConsumerOutboxMessages, new KeyValuePair<string, object?>("kind", "consumer"))]
            : Array.Empty<Measurement<long>>(),
            description: "Messages written to the outbox and not yet delivered to the broker, by kind (bus: API and services; consumer: consumers' outgoing messages).");
        TurumbaTelemetry.Meter.CreateObservableGauge("turumba.outbox.oldest_age", () => _last?.OldestBusOutbox is { } oldest
            ? [new Measurement<double>(Math.Max(0, (Clock.GetUtcNow().UtcDateTime - oldest).TotalSeconds))]
            : Array.Empty<Measurement<double>>(),
            unit: "s", description: "Age of the oldest bus outbox not yet delivered; grows when outbox delivery falls behind or stops.");
    }

    protected override TimeSpan Interval => TimeSpan.FromSeconds(15);

    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken) => _last = await _backlog.GetAsync(cancellationToken);
}
