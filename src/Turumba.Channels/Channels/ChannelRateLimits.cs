using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Channels;

/// <summary>The Redis keys a channel's sending is limited and paused under; dispatch and the API must agree on them.</summary>
public static class ChannelRateLimits
{
    public static string PauseKey(Guid channelId) => $"channel:{channelId}";

    /// <summary>The channel's own limit (messages per minute), or none when it has no <c>rate_limit</c>.</summary>
    public static RateLimit[] For(Guid channelId, int? perMinute) =>
        perMinute is { } limit ? [RateLimit.PerMinute($"channel:{channelId}", limit)] : [];
}
