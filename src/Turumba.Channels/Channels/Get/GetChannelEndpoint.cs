using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Channels.Credentials;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Channels.Channels.Get;

internal static class GetChannelEndpoint
{
    public static async Task<IResult> HandleAsync(
        Guid id, TurumbaDbContext db, CredentialProtector protector, RedisRateLimiter limiter, IChannelCatalog catalog, ChannelRateLimitPolicy policy,
        CancellationToken cancellationToken)
    {
        var channel = await db.Set<Channel>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw NotFoundException.For("channel", id);
        var pauseKey = ChannelRateLimits.PauseKey(channel.Id);
        var limits = ChannelRateLimits.For(channel.Id, channel.RateLimit);
        // Without a limit, a window of one minute still shows a provider pause, if any.
        var usage = await limiter.GetUsageAsync(pauseKey, limits.Length > 0 ? limits[0] : RateLimit.PerMinute(pauseKey + ":unlimited", int.MaxValue));
        var snapshot = await catalog.FindAsync(channel.Id, cancellationToken);
        var all = snapshot is null ? [] : policy.For(snapshot);
        var windows = await Task.WhenAll(all.Select(async limit =>
        {
            var window = await limiter.GetUsageAsync(pauseKey, limit);
            return new RateLimitWindow(ScopeOf(limit.Key), limit.Limit, window.Used, window.Remaining, window.ResetAfter.TotalSeconds);
        }));
        var shown = new RateLimitUsage(channel.RateLimit, usage.Used, channel.RateLimit is null ? null : usage.Remaining,
            usage.ResetAfter.TotalSeconds, usage.PausedFor?.TotalSeconds, windows);
        return ApiResults.Ok(ChannelResponse.From(channel, protector) with { RateLimitUsage = shown });
    }

    private static string ScopeOf(string key) => key.Split(':', 2)[0] switch
    {
        "provider" => "provider_account",
        var scope => scope,
    };
}
