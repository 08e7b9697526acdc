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
        var snapshot = await catalog.FindAsync(channel.Id, cancellationToken);
        var windows = await Task.WhenAll((snapshot is null ? [] : policy.For(snapshot)).Select(async limit =>
        {
            var usage = await limiter.GetUsageAsync(pauseKey, limit);
            return new RateLimitWindow(ChannelRateLimits.ScopeOf(limit.Key), limit.Limit, usage.Used, usage.Remaining, usage.ResetAfter.TotalSeconds);
        }));
        var paused = await limiter.PausedForAsync(pauseKey);
        // The top-level figures are the channel's own window (none without a rate_limit).
        var own = windows.FirstOrDefault(w => w.Scope == ChannelRateLimits.ChannelScope);
        var shown = new RateLimitUsage(channel.RateLimit, own?.Used ?? 0, own?.Remaining, own?.ResetInSeconds ?? 0, paused?.TotalSeconds, windows);
        return ApiResults.Ok(ChannelResponse.From(channel, protector) with { RateLimitUsage = shown });
    }
}
