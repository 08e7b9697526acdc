using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Turumba.Outbox;

/// <summary>
/// The bus outbox of one scope. A publish or send becomes an <see cref="OutboxMessage"/> added to
/// the scope's DbContext, so it is written by the caller's next <c>SaveChanges</c>, in the same
/// transaction as the caller's entities, or not at all. Nothing reaches the broker from here.
/// </summary>
internal sealed class OutboxScopedBusContext<TDbContext>(IBus bus, TDbContext db, IClientFactory clientFactory, IServiceProvider provider)
    : ScopedBusContext, OutboxSendContext
    where TDbContext : DbContext
{
    private readonly Lock _sync = new();
    private EntityEntry<OutboxState>? _outbox;
    private ISendEndpointProvider? _sendEndpointProvider;
    private IPublishEndpoint? _publishEndpoint;
    private IScopedClientFactory? _clientFactory;

    public ISendEndpointProvider SendEndpointProvider => _sendEndpointProvider ??= new OutboxSendEndpointProvider(this, bus);

    public IPublishEndpoint PublishEndpoint => _publishEndpoint ??= new PublishEndpoint(new OutboxPublishEndpointProvider(this, bus));

    // Request/response needs an answer now, so it does not go through the outbox.
    public IScopedClientFactory ClientFactory => _clientFactory ??= new BusScopedBusContext<IBus>(bus, clientFactory, provider).ClientFactory;

    public Task AddSend<T>(SendContext<T> context)
        where T : class
    {
        lock (_sync)
        {
            // Once an outbox row is saved its messages may already be on their way; later sends start a new outbox.
            if (_outbox is null || _outbox.State is EntityState.Unchanged or EntityState.Detached)
            {
                _outbox = db.Add(new OutboxState { OutboxId = NewId.NextGuid(), Created = DateTime.UtcNow });
            }

            db.Add(OutboxMessageFactory.Create(context, outboxId: _outbox.Entity.OutboxId));
        }

        return Task.CompletedTask;
    }

    public object? GetService(Type serviceType) => provider.GetService(serviceType);
}
