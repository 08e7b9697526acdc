using System.Globalization;
using StackExchange.Redis;

namespace Turumba.Platform.Redis.RateLimiting;

/// <summary>
/// Sliding-window rate limiting in Redis. Every decision is one atomic script run that checks a
/// pause key and any number of limits (channel, provider account, tenant) and takes a slot in all
/// of them only when all allow it. A sliding log rather than a token bucket, because the promise
/// is "never more than N in any window", which a bucket's burst breaks. The script reads Redis's
/// own clock, so instances with skewed clocks share one window.
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis)
{
    public const string KeyPrefix = "turumba:rate:";

    // KEYS: pause, window1..n. ARGV: member, then limit and window (ms) per window key.
    // Returns {wait ms, index of the limiting key: 0 = pause, n = window n, -1 = none, Redis time in ms}.
    // StackExchange.Redis sends EVALSHA once the server has seen the script.
    private const string AcquireScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local paused = redis.call('PTTL', KEYS[1])
        if paused > 0 then return {paused, 0, now} end
        local wait, by = 0, -1
        for i = 2, #KEYS do
          local limit = tonumber(ARGV[2 * i - 2])
          local window = tonumber(ARGV[2 * i - 1])
          redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
          if redis.call('ZCARD', KEYS[i]) >= limit then
            local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
            local w = tonumber(oldest[2]) + window - now
            if w < 1 then w = 1 end
            if w > wait then wait, by = w, i - 1 end
          end
        end
        if wait > 0 then return {wait, by, now} end
        for i = 2, #KEYS do
          redis.call('ZADD', KEYS[i], now, ARGV[1])
          redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 * i - 1]))
        end
        return {0, -1, now}
        """;

    // KEYS: pause, window. ARGV: window ms. Returns {used, ms until the oldest leaves, pause ms}.
    private const string UsageScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
        local used = redis.call('ZCARD', KEYS[2])
        local reset = 0
        if used > 0 then
          local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
          reset = tonumber(oldest[2]) + window - now
        end
        return {used, reset, redis.call('PTTL', KEYS[1])}
        """;

    /// <summary>Takes a slot in every limit, or says how long to wait. Limits of null or 0 are not passed in.</summary>
    public async Task<RateDecision> TryAcquireAsync(string pauseKey, IReadOnlyList<RateLimit> limits)
    {
        var keys = new RedisKey[limits.Count + 1];
        var values = new RedisValue[limits.Count * 2 + 1];
        keys[0] = KeyPrefix + "pause:" + pauseKey;
        values[0] = Guid.NewGuid().ToString("N");
        for (var i = 0; i < limits.Count; i++)
        {
            keys[i + 1] = KeyPrefix + limits[i].Key;
            values[2 * i + 1] = limits[i].Limit;
            values[2 * i + 2] = (long)limits[i].Window.TotalMilliseconds;
        }

        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AcquireScript, keys, values))!;
        var wait = (long)result[0];
        var at = DateTimeOffset.FromUnixTimeMilliseconds((long)result[2]);
        if (wait <= 0)
        {
            return new RateDecision(true, TimeSpan.Zero, null, at);
        }

        var by = (int)result[1];
        return new RateDecision(false, TimeSpan.FromMilliseconds(wait), by == 0 ? "pause:" + pauseKey : limits[by - 1].Key, at);
    }

    /// <summary>
    /// Waits for a slot, up to <paramref name="maxWait"/> in all; false when the wait would exceed it
    /// (the caller then parks the work durably instead of holding a consumer).
    /// </summary>
    public async Task<RateDecision> AcquireAsync(
        string pauseKey, IReadOnlyList<RateLimit> limits, TimeSpan maxWait, TimeProvider clock, CancellationToken cancellationToken, Action<RateDecision>? onDenied = null)
    {
        var deadline = clock.GetUtcNow() + maxWait;
        while (true)
        {
            var decision = await TryAcquireAsync(pauseKey, limits);
            if (!decision.Allowed)
            {
                onDenied?.Invoke(decision);
            }

            if (decision.Allowed || clock.GetUtcNow() + decision.RetryAfter > deadline)
            {
                return decision;
            }

            await Task.Delay(decision.RetryAfter, clock, cancellationToken);
        }
    }

    /// <summary>Stops every acquisition under <paramref name="pauseKey"/> for <paramref name="duration"/>, across all instances.</summary>
    public Task PauseAsync(string pauseKey, TimeSpan duration) =>
        redis.GetDatabase().StringSetAsync(KeyPrefix + "pause:" + pauseKey, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), duration);

    public async Task<RateUsage> GetUsageAsync(string pauseKey, RateLimit limit)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
            UsageScript,
            [KeyPrefix + "pause:" + pauseKey, KeyPrefix + limit.Key],
            [(long)limit.Window.TotalMilliseconds]))!;
        var paused = (long)result[2];
        return new RateUsage(limit.Limit, (int)result[0], TimeSpan.FromMilliseconds((long)result[1]),
            paused > 0 ? TimeSpan.FromMilliseconds(paused) : null);
    }
}
