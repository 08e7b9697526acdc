namespace Turumba.Platform.Redis.RateLimiting;

/// <summary>At most <paramref name="Limit"/> acquisitions under <paramref name="Key"/> in any <paramref name="Window"/>.</summary>
public sealed record RateLimit(string Key, int Limit, TimeSpan Window)
{
    public static RateLimit PerMinute(string key, int limit) => new(key, limit, TimeSpan.FromMinutes(1));
}

/// <summary>
/// The answer to one request for a slot: go, or wait <see cref="RetryAfter"/> because of
/// <see cref="LimitedBy"/> (a limit's key, or the pause key). <see cref="DecidedAt"/> is Redis's clock.
/// </summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter, string? LimitedBy, DateTimeOffset DecidedAt);

/// <summary>
/// The answer to a request for several slots: <see cref="Granted"/> were taken in every limit.
/// When fewer than wanted, <see cref="RetryAfter"/> is how long until the next one frees and
/// <see cref="LimitedBy"/> the limit's key (or the pause key) that held the rest back.
/// <see cref="DecidedAt"/> is Redis's clock. <see cref="Slots"/> names the slots taken, so that
/// those not used can be given back (<see cref="RedisRateLimiter.Return"/>) and those used counted
/// from their calls' completion (<see cref="RedisRateLimiter.RestampAsync"/>).
/// </summary>
public readonly record struct RateGrant(int Granted, TimeSpan RetryAfter, string? LimitedBy, DateTimeOffset DecidedAt)
{
    public string? Slots { get; init; }
}

/// <summary>How much of a limit is used now; <see cref="ResetAfter"/> is when the oldest use leaves the window.</summary>
public readonly record struct RateUsage(int Limit, int Used, TimeSpan ResetAfter, TimeSpan? PausedFor)
{
    public int Remaining => Math.Max(0, Limit - Used);
}
