using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Turumba.Contracts;
using Turumba.Platform;
using Turumba.Platform.Hosting;
using Turumba.Platform.Persistence;
using Turumba.Platform.Telemetry;

namespace Turumba.Dispatch.Telemetry;

/// <summary>
/// Role <c>maintenance</c>: every 15 s asks the broker how many commands wait in each dispatch queue
/// (<c>message.dispatch.&lt;type&gt;</c>) and how many consumers it has, with a passive declare (AMQP
/// only; no management plugin needed), and publishes the last answer as gauges. A queue nobody has
/// declared yet (no instance dispatches that type) is left out rather than reported as empty.
/// </summary>
internal sealed class DispatchQueueDepthSampler : PeriodicService
{
    private readonly ConnectionFactory _factory;
    private IReadOnlyList<QueueSample> _last = [];

    public DispatchQueueDepthSampler(IConfiguration configuration, TimeProvider clock, ILogger<DispatchQueueDepthSampler> logger)
        : base(clock, logger)
    {
        _factory = new ConnectionFactory
        {
            Uri = AmqpUri(ConnectionStrings.Require(configuration, ConnectionStrings.RabbitMq)),
            ClientProvidedName = "turumba-dispatch-queue-depth",
        };
        TurumbaTelemetry.Meter.CreateObservableGauge("turumba.dispatch.queue_depth",
            () => _last.Select(s => new Measurement<long>(s.Messages, Labels(s))),
            description: "Dispatch commands ready in each dispatch queue (not yet delivered to a consumer), by channel_type and queue.");
        TurumbaTelemetry.Meter.CreateObservableGauge("turumba.dispatch.queue_consumers",
            () => _last.Select(s => new Measurement<long>(s.Consumers, Labels(s))),
            description: "Consumers attached to each dispatch queue; 0 means nothing dispatches that channel type.");
    }

    protected override TimeSpan Interval => TimeSpan.FromSeconds(15);

    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var samples = new List<QueueSample>();
        await using var connection = await _factory.CreateConnectionAsync(cancellationToken);
        foreach (var channelType in ChannelTypes.All)
        {
            var queue = DispatchQueues.For(channelType);
            // A passive declare of a missing queue closes its channel, so each queue gets its own.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            try
            {
                var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
                samples.Add(new QueueSample(channelType, queue, declared.MessageCount, declared.ConsumerCount));
            }
            catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
            {
                // Not declared: no instance has ever consumed this channel type.
            }
        }

        _last = samples;
    }

    private static KeyValuePair<string, object?>[] Labels(QueueSample sample) =>
        [new("channel_type", sample.ChannelType), new("queue", sample.Queue)];

    // MassTransit also takes rabbitmq:// and rabbitmqs://; the AMQP client only the amqp schemes.
    private static Uri AmqpUri(string value)
    {
        var uri = new UriBuilder(value);
        uri.Scheme = uri.Scheme switch
        {
            "rabbitmq" => "amqp",
            "rabbitmqs" => "amqps",
            _ => uri.Scheme,
        };
        return uri.Uri;
    }

    private sealed record QueueSample(string ChannelType, string Queue, long Messages, long Consumers);
}
