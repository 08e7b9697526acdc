using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Channels.Caching;
using Turumba.Contracts;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels.Delete;

internal static class DeleteChannelEndpoint
{
    public static async Task<IResult> HandleAsync(
        Guid id, TurumbaDbContext db, IPublishEndpoint publish, TimeProvider clock, CachedChannelCatalog cache, CancellationToken cancellationToken)
    {
        var channel = await db.Set<Channel>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw NotFoundException.For("channel", id);
        db.Remove(channel);
        await publish.Publish(new ChannelChanged(channel.Id, channel.AccountId, channel.ChannelType, ChannelChange.Deleted, clock.GetUtcNow()), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        // This instance forgets at once; the others when ChannelChanged reaches them.
        await cache.EvictAsync(channel.Id);
        return ApiResults.Deleted();
    }
}
