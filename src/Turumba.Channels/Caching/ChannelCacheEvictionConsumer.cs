using MassTransit;
using Turumba.Contracts;

namespace Turumba.Channels.Caching;

/// <summary>Every instance listens on a queue of its own (temporary) and forgets a channel when it changes.</summary>
internal sealed class ChannelCacheEvictionConsumer(CachedChannelCatalog catalog) : IConsumer<ChannelChanged>
{
    public Task Consume(ConsumeContext<ChannelChanged> context) => catalog.EvictAsync(context.Message.ChannelId);
}
