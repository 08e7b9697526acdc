using Microsoft.Extensions.Options;
using Turumba.Channels.Channels;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Channels;

/// <summary>
/// The limits one send on a channel counts against: the channel's own <c>rate_limit</c>, its
/// provider account's (when <c>Turumba:RateLimits:ProviderAccounts</c> names the provider and the
/// adapter can tell the account), and its tenant's. Pass them all to one limiter call, so a slot is
/// taken in every one or in none.
/// </summary>
public sealed class ChannelRateLimitPolicy
{
    private readonly ChannelAdapterRegistry _adapters;
    private readonly int? _tenantPerMinute;
    private readonly Dictionary<Guid, int> _tenants;
    private readonly Dictionary<string, int> _providerAccounts;

    internal ChannelRateLimitPolicy(ChannelAdapterRegistry adapters, IOptions<RateLimitOptions> options)
    {
        _adapters = adapters;
        _tenantPerMinute = options.Value.TenantPerMinute;
        _tenants = options.Value.Tenants.ToDictionary(t => Guid.Parse(t.Key), t => t.Value);
        _providerAccounts = new Dictionary<string, int>(options.Value.ProviderAccounts, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<RateLimit> For(ChannelSnapshot channel)
    {
        var limits = new List<RateLimit>(3);
        if (channel.RateLimit is { } perMinute)
        {
            limits.Add(RateLimit.PerMinute(ChannelRateLimits.ChannelKey(channel.Id), perMinute));
        }

        if (_providerAccounts.Count > 0
            && _adapters.FindProviderAccount(channel.ChannelType, channel.Provider, channel.Credentials) is { } account
            && _providerAccounts.TryGetValue(account.Provider, out var accountPerMinute))
        {
            limits.Add(RateLimit.PerMinute(ChannelRateLimits.ProviderAccountKey(account), accountPerMinute));
        }

        if ((_tenants.TryGetValue(channel.AccountId, out var own) ? own : _tenantPerMinute) is { } tenantPerMinute)
        {
            limits.Add(RateLimit.PerMinute(ChannelRateLimits.TenantKey(channel.AccountId), tenantPerMinute));
        }

        return limits;
    }
}
