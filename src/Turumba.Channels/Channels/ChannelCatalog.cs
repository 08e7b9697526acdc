using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Channels.Credentials;
using Turumba.Contracts;
using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels;

/// <summary>The channel table itself; <see cref="Caching.CachedChannelCatalog"/> stands in front of it.</summary>
internal sealed class ChannelCatalog(IServiceScopeFactory scopes, CredentialProtector protector, TimeProvider clock) : IChannelCatalog
{
    public async Task<ChannelSnapshot?> FindAsync(Guid channelId, CancellationToken cancellationToken) =>
        (await FindStoredAsync(channelId, cancellationToken))?.ToSnapshot(protector);

    public async Task<Caching.CachedChannel?> FindStoredAsync(Guid channelId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
        return await db.Set<Channel>().IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Id == channelId)
            .Select(c => new Caching.CachedChannel(c.Id, c.AccountId, c.ChannelType, c.Provider, c.Status, c.IsEnabled, c.EncryptedCredentials,
                c.SenderName, c.RateLimit, c.RetryCount, c.RetryInterval, c.QuietHoursStart, c.QuietHoursEnd, c.QuietHoursTimezone, c.CostPerSegment))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task SetStatusAsync(Guid channelId, ChannelStatus status, string? errorMessage, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
        var channel = await db.Set<Channel>().IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == channelId, cancellationToken);
        if (channel is null || !channel.IsEnabled || (channel.Status == status && channel.ErrorMessage == errorMessage))
        {
            return;
        }

        channel.Status = status;
        channel.ErrorMessage = errorMessage;
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        await publish.Publish(new ChannelChanged(channel.Id, channel.AccountId, channel.ChannelType, ChannelChange.Updated, clock.GetUtcNow()), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }
}
