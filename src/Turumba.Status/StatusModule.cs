using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;
using Turumba.Status.Inbound;
using Turumba.Status.Updates;

namespace Turumba.Status;

/// <summary>What providers report back: delivery receipts (role <c>status</c>) and contacts' replies (role <c>inbound</c>).</summary>
public sealed class StatusModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
    }

    public void AddConsumers(IBusRegistrationConfigurator bus, HostRoles roles)
    {
        if (roles.Has(HostRole.Status))
        {
            bus.AddConsumer<StatusUpdateConsumer, StatusUpdateConsumerDefinition>();
        }

        if (roles.Has(HostRole.Inbound))
        {
            bus.AddConsumer<InboundMessageConsumer, InboundMessageConsumerDefinition>();
        }
    }
}
