using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Turumba.Platform.Hosting;
using Turumba.Outbox;
using Turumba.Platform.Modules;
using Turumba.Platform.Persistence;

namespace Turumba.Platform.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// The host's one <c>AddMassTransit</c> call, on RabbitMQ. Each module adds its consumers for
    /// the roles of this instance; every instance can publish and send. Publishes and sends through
    /// scoped endpoints outside consumers go through the bus outbox of <see cref="TurumbaDbContext"/>,
    /// delivered by instances with the <c>outbox</c> role.
    /// </summary>
    public static IServiceCollection AddTurumbaMessaging(
        this IServiceCollection services, IConfiguration configuration, HostRoles roles, ModuleCatalog modules)
    {
        var rabbitUri = ParseAmqpUri(ConnectionStrings.Require(configuration, ConnectionStrings.RabbitMq));
        var quorumQueues = QuorumQueues.IsEnabled(configuration);
        services.Configure<MassTransitHostOptions>(host =>
        {
            // A stop lets consumers finish for a few seconds, then cancels them: a consumer waiting for
            // rate-limit slots gives its messages back instead of holding the stop for minutes.
            host.ConsumerStopTimeout = ShutdownTimeouts.ConsumerDrain;
            host.StopTimeout = ShutdownTimeouts.BusStop;
        });
        services.AddMassTransit(bus =>
        {
            // MassTransit reports anonymous usage to its authors by default; an installation opts in
            // with Turumba:MassTransitUsageTelemetry=true (MASSTRANSIT_USAGE_TELEMETRY still wins).
            bus.ConfigureUsageTelemetryOptions(o => o.Enabled = configuration.GetValue("Turumba:MassTransitUsageTelemetry", false));
            bus.AddTurumbaEntityFrameworkOutbox<TurumbaDbContext>(outbox =>
            {
                outbox.UsePostgres();
                outbox.UseBusOutbox(delivery =>
                {
                    delivery.DeadLetterAfter = configuration.GetValue("Turumba:Outbox:DeadLetterAfter", 10);
                    if (!roles.Has(HostRole.Outbox))
                    {
                        delivery.DisableDeliveryService();
                    }
                });
                if (!roles.Has(HostRole.Outbox))
                {
                    outbox.DisableCleanupService();
                }
            });

            foreach (var module in modules.Modules)
            {
                module.AddConsumers(bus, roles);
            }

            if (quorumQueues)
            {
                bus.AddConfigureEndpointsCallback((_, _, endpoint) => QuorumQueues.Apply(endpoint));
            }

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(rabbitUri);
                rabbit.ConfigureEndpoints(context);
            });
        });
        return services;
    }

    /// <summary>
    /// With <c>Turumba:RabbitMq:QuorumQueues</c>, declares <paramref name="commandQueues"/> at start, so that commands sent
    /// to their exchanges before the consumers first started are kept (<see cref="QuorumCommandQueues"/>).
    /// </summary>
    public static IServiceCollection AddQuorumCommandQueues(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<string> commandQueues)
    {
        if (QuorumQueues.IsEnabled(configuration))
        {
            services.AddHostedService(provider => new QuorumCommandQueues(configuration, commandQueues, provider.GetRequiredService<ILogger<QuorumCommandQueues>>()));
        }

        return services;
    }

    /// <summary><c>Turumba:RabbitMq:QuorumQueues</c>: receive queues are quorum queues, and commands are sent to their exchanges.</summary>
    public static bool UsesQuorumQueues(IConfiguration configuration) => QuorumQueues.IsEnabled(configuration);

    private static Uri ParseAmqpUri(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq" or "rabbitmqs"))
        {
            throw new StartupConfigurationException(
                "ConnectionStrings:RabbitMq must be an AMQP URI such as amqp://user:password@127.0.0.1:5672/.");
        }

        return uri;
    }
}
