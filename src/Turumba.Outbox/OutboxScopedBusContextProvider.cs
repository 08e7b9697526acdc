using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace Turumba.Outbox;

/// <summary>
/// Decides what the scoped <see cref="IPublishEndpoint"/> and <see cref="ISendEndpointProvider"/>
/// are: inside a consumer, its consume context (as MassTransit does); anywhere else (an API
/// request, a hosted service's scope), the bus outbox of the scope's <typeparamref name="TDbContext"/>.
/// </summary>
internal sealed class OutboxScopedBusContextProvider<TDbContext> : IScopedBusContextProvider<IBus>
    where TDbContext : DbContext
{
    public OutboxScopedBusContextProvider(
        IBus bus,
        TDbContext dbContext,
        Bind<IBus, IClientFactory> clientFactory,
        Bind<IBus, IScopedConsumeContextProvider> busConsumeContextProvider,
        IScopedConsumeContextProvider globalConsumeContextProvider,
        IServiceProvider provider)
    {
        if (busConsumeContextProvider.Value.HasContext)
        {
            Context = new ConsumeContextScopedBusContext(busConsumeContextProvider.Value.GetContext(), clientFactory.Value);
        }
        else if (globalConsumeContextProvider.HasContext)
        {
            Context = new ConsumeContextScopedBusContext<IBus>(bus, globalConsumeContextProvider.GetContext(), clientFactory.Value, provider);
        }
        else
        {
            Context = new OutboxScopedBusContext<TDbContext>(bus, dbContext, clientFactory.Value, provider);
        }
    }

    public ScopedBusContext Context { get; }
}
