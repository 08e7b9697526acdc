using MassTransit;
using MassTransit.RabbitMqTransport.Configuration;
using Microsoft.Extensions.Configuration;
using Turumba.Platform.Hosting;

namespace Turumba.Platform.Messaging;

/// <summary>
/// <c>Turumba:RabbitMq:QuorumQueues</c>: declare every durable receive queue (and with it its
/// <c>_error</c> and <c>_skipped</c> queues, which copy its arguments) as a RabbitMQ quorum queue,
/// replicated across the cluster's nodes. Temporary queues (auto-delete or exclusive, such as the
/// per-instance cache eviction queue and the bus's response queue) stay classic: quorum queues
/// cannot be either. See docs/operations.md for moving an existing broker over.
/// </summary>
internal static class QuorumQueues
{
    public const string Setting = "Turumba:RabbitMq:QuorumQueues";

    public static bool IsEnabled(IConfiguration configuration) => configuration[Setting] switch
    {
        null or "" => false,
        var value when bool.TryParse(value, out var enabled) => enabled,
        _ => throw new StartupConfigurationException($"{Setting} must be true or false."),
    };

    public static void Apply(IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfiguration { Settings: { Durable: true, AutoDelete: false, Exclusive: false } }
            && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
        }
    }
}
