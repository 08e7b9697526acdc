using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Channels.Credentials;
using Turumba.Contracts;
using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels;

internal sealed class ChannelCatalog(IServiceScopeFactory scopes, CredentialProtector protector, TimeProvider clock) : IChannelCatalog
{
    public async Task<ChannelSnapshot?> FindAsync(Guid channelId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
        var channel = await db.Set<Channel>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == channelId, cancellationToken);
        return channel is null ? null : new ChannelSnapshot(
            channel.Id, channel.AccountId, channel.ChannelType, channel.Provider, channel.Status, channel.IsEnabled,
            new ChannelCredentials(protector.Unprotect(channel.EncryptedCredentials)), channel.SenderName,
            channel.RateLimit, channel.RetryCount, channel.RetryInterval);
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
