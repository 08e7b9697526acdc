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
        Guid id, TurumbaDbContext db, CredentialProtector protector, RedisRateLimiter limiter, CancellationToken cancellationToken)
    {
        var channel = await db.Set<Channel>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw NotFoundException.For("channel", id);
        var pauseKey = ChannelRateLimits.PauseKey(channel.Id);
        var limits = ChannelRateLimits.For(channel.Id, channel.RateLimit);
        // Without a limit, a window of one minute still shows a provider pause, if any.
        var usage = await limiter.GetUsageAsync(pauseKey, limits.Length > 0 ? limits[0] : RateLimit.PerMinute(pauseKey + ":unlimited", int.MaxValue));
        var shown = new RateLimitUsage(channel.RateLimit, usage.Used, channel.RateLimit is null ? null : usage.Remaining,
            usage.ResetAfter.TotalSeconds, usage.PausedFor?.TotalSeconds);
        return ApiResults.Ok(ChannelResponse.From(channel, protector) with { RateLimitUsage = shown });
    }
}
