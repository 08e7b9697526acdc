using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Channels;

/// <summary>
/// The Redis keys a channel's sending is limited and paused under; dispatch and the API must agree
/// on them. <see cref="ChannelRateLimitPolicy"/> says which of them apply to a channel.
/// </summary>
public static class ChannelRateLimits
{
    public static string PauseKey(Guid channelId) => $"channel:{channelId}";

    public static string ChannelKey(Guid channelId) => $"channel:{channelId}";

    public static string ProviderAccountKey(ProviderAccount account) => $"provider:{account.Provider}:{account.Id}";

    public static string TenantKey(Guid accountId) => $"tenant:{accountId}";

    /// <summary>The channel's own limit (messages per minute), or none when it has no <c>rate_limit</c>.</summary>
    public static RateLimit[] For(Guid channelId, int? perMinute) =>
        perMinute is { } limit ? [RateLimit.PerMinute(ChannelKey(channelId), limit)] : [];
}
