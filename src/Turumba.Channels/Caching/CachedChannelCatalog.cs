using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Turumba.Channels.Channels;
using Turumba.Channels.Credentials;

namespace Turumba.Channels.Caching;

/// <summary>
/// Two-level cache in front of the channel table, for dispatch and the API: this process's memory,
/// then Redis, then PostgreSQL. Redis holds the credentials as stored (Data Protection
/// ciphertext), never in clear. Concurrent misses for one channel load it once. Entries expire
/// after <see cref="ChannelCacheOptions.TimeToLive"/> and are evicted everywhere on <c>ChannelChanged</c>.
/// </summary>
internal sealed class CachedChannelCatalog(
    ChannelCatalog database,
    IMemoryCache memory,
    IConnectionMultiplexer redis,
    CredentialProtector protector,
    IOptions<ChannelCacheOptions> options) : IChannelCatalog
{
    private const string KeyPrefix = "turumba:channel:";
    private readonly ConcurrentDictionary<Guid, Lazy<Task<ChannelSnapshot?>>> _loading = new();
    private long _databaseLoads;

    /// <summary>How many lookups reached PostgreSQL (tests and metrics).</summary>
    internal long DatabaseLoads => Interlocked.Read(ref _databaseLoads);

    public async Task<ChannelSnapshot?> FindAsync(Guid channelId, CancellationToken cancellationToken)
    {
        if (memory.TryGetValue(MemoryKey(channelId), out ChannelSnapshot? cached))
        {
            return cached;
        }

        var load = _loading.GetOrAdd(channelId, id => new Lazy<Task<ChannelSnapshot?>>(() => LoadAsync(id)));
        try
        {
            return await load.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            _loading.TryRemove(new KeyValuePair<Guid, Lazy<Task<ChannelSnapshot?>>>(channelId, load));
        }
    }

    public async Task SetStatusAsync(Guid channelId, ChannelStatus status, string? errorMessage, CancellationToken cancellationToken)
    {
        await database.SetStatusAsync(channelId, status, errorMessage, cancellationToken);
        await EvictAsync(channelId);
    }

    /// <summary>Forgets the channel here and in Redis (other instances forget it on their <c>ChannelChanged</c>).</summary>
    public async Task EvictAsync(Guid channelId)
    {
        memory.Remove(MemoryKey(channelId));
        await redis.GetDatabase().KeyDeleteAsync(KeyPrefix + channelId);
    }

    private async Task<ChannelSnapshot?> LoadAsync(Guid channelId)
    {
        var ttl = options.Value.TimeToLive;
        var stored = await redis.GetDatabase().StringGetAsync(KeyPrefix + channelId);
        CachedChannel? channel = stored.HasValue ? JsonSerializer.Deserialize<CachedChannel>(stored.ToString()) : null;
        if (channel is null)
        {
            Interlocked.Increment(ref _databaseLoads);
            channel = await database.FindStoredAsync(channelId, CancellationToken.None);
            if (channel is null)
            {
                return null;
            }

            await redis.GetDatabase().StringSetAsync(KeyPrefix + channelId, JsonSerializer.Serialize(channel), ttl);
        }

        var snapshot = channel.ToSnapshot(protector);
        memory.Set(MemoryKey(channelId), snapshot, ttl < options.Value.MemoryTimeToLive ? ttl : options.Value.MemoryTimeToLive);
        return snapshot;
    }

    private static string MemoryKey(Guid channelId) => KeyPrefix + channelId;
}

/// <summary>A channel as cached in Redis: everything but the credentials in clear, those as stored (encrypted).</summary>
internal sealed record CachedChannel(
    Guid Id,
    Guid AccountId,
    string ChannelType,
    string? Provider,
    ChannelStatus Status,
    bool IsEnabled,
    string EncryptedCredentials,
    string? SenderName,
    int? RateLimit,
    int RetryCount,
    int RetryInterval,
    TimeOnly? QuietHoursStart = null,
    TimeOnly? QuietHoursEnd = null,
    string? QuietHoursTimezone = null,
    decimal? CostPerSegment = null)
{
    public ChannelSnapshot ToSnapshot(CredentialProtector protector) => new(
        Id, AccountId, ChannelType, Provider, Status, IsEnabled, new ChannelCredentials(protector.Unprotect(EncryptedCredentials)),
        SenderName, RateLimit, RetryCount, RetryInterval, ChannelQuietHours.From(QuietHoursStart, QuietHoursEnd, QuietHoursTimezone), CostPerSegment);
}
