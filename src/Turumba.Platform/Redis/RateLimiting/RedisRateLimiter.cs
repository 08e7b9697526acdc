using System.Globalization;
using StackExchange.Redis;

namespace Turumba.Platform.Redis.RateLimiting;

/// <summary>
/// Sliding-window rate limiting in Redis. Every decision is one atomic script run that checks a
/// pause key and any number of limits (channel, provider account, tenant) and takes a slot in all
/// of them only when all allow it; a batch takes as many slots as every limit has room for in the
/// same single run. A sliding log rather than a token bucket, because the promise
/// is "never more than N in any window", which a bucket's burst breaks; slots used are re-stamped
/// when their calls complete, so the promise holds where the provider counts. The script reads Redis's
/// own clock, so instances with skewed clocks share one window.
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis)
{
    // One hash tag for every limiter key: a call's pause and windows (channel, provider account,
    // tenant) are different entities, and a provider account can be shared across tenants, so only
    // a common tag keeps every call's keys in one Redis Cluster slot (decision 91).
    public const string KeyPrefix = "{turumba:rate}:";

    // KEYS: pause, window1..n. ARGV: member prefix, slots wanted, then limit and window (ms) per window key.
    // Grants k = min(wanted, room in every window) and records k members (prefix .. index) at Redis's
    // time in every window. Returns {k, wait ms until the next slot frees (0 when all were granted),
    // index of the limiting key: 0 = pause, n = window n, -1 = none, Redis time in ms}.
    // StackExchange.Redis sends EVALSHA once the server has seen the script.
    private const string AcquireScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local paused = redis.call('PTTL', KEYS[1])
        if paused > 0 then return {0, paused, 0, now} end
        local n = #KEYS - 1
        local wanted = tonumber(ARGV[2])
        local grant = wanted
        local used = {}
        for i = 1, n do
          local window = tonumber(ARGV[2 * i + 2])
          redis.call('ZREMRANGEBYSCORE', KEYS[i + 1], '-inf', now - window)
          used[i] = redis.call('ZCARD', KEYS[i + 1])
          local room = tonumber(ARGV[2 * i + 1]) - used[i]
          if room < grant then grant = math.max(room, 0) end
        end
        -- With count entries in window i, a slot frees when entry (count - limit) leaves it.
        local function longest_wait(extra)
          local wait, by = 0, -1
          for i = 1, n do
            local limit, window = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
            local over = used[i] + extra - limit
            if over >= 0 then
              local entry = redis.call('ZRANGE', KEYS[i + 1], over, over, 'WITHSCORES')
              local w = window
              if entry[2] then w = tonumber(entry[2]) + window - now end
              if w < 1 then w = 1 end
              if w > wait then wait, by = w, i end
            end
          end
          return wait, by
        end
        if grant == 0 then
          local wait, by = longest_wait(0)
          return {0, wait, by, now}
        end
        if n > 0 then
          local members = {}
          for j = 1, grant do
            members[#members + 1] = now
            members[#members + 1] = ARGV[1] .. j
          end
          for i = 1, n do
            -- In chunks, so a large grant stays within Lua's limit on unpacked arguments.
            for first = 1, #members, 1000 do
              redis.call('ZADD', KEYS[i + 1], unpack(members, first, math.min(first + 999, #members)))
            end
            redis.call('PEXPIRE', KEYS[i + 1], tonumber(ARGV[2 * i + 2]))
          end
        end
        if grant < wanted then
          local wait, by = longest_wait(grant)
          return {grant, wait, by, now}
        end
        return {grant, 0, -1, now}
        """;

    // KEYS: window1..n. ARGV: member prefix, first and last index to remove. Removes the members a
    // grant added (prefix .. index) from every window; those already gone are skipped.
    private const string ReturnScript = """
        local members = {}
        for j = tonumber(ARGV[2]), tonumber(ARGV[3]) do members[#members + 1] = ARGV[1] .. j end
        for i = 1, #KEYS do
          for first = 1, #members, 1000 do
            redis.call('ZREM', KEYS[i], unpack(members, first, math.min(first + 999, #members)))
          end
        end
        return #members
        """;

    // KEYS: window1..n. ARGV: member prefix, first and last index, then window (ms) per key. Moves the
    // members a grant added to Redis's time now, in every window; those out of their window are
    // dropped first and XX leaves out the ones gone (given back, expired), so a re-stamp never takes
    // a slot again that may have been granted to someone else. Returns the time.
    private const string RestampScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local members = {}
        for j = tonumber(ARGV[2]), tonumber(ARGV[3]) do
          members[#members + 1] = now
          members[#members + 1] = ARGV[1] .. j
        end
        for i = 1, #KEYS do
          local window = tonumber(ARGV[i + 3])
          redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
          for first = 1, #members, 1000 do
            redis.call('ZADD', KEYS[i], 'XX', unpack(members, first, math.min(first + 999, #members)))
          end
          redis.call('PEXPIRE', KEYS[i], window)
        end
        return now
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
    public async Task<RateDecision> TryAcquireAsync(string pauseKey, IReadOnlyList<RateLimit> limits) =>
        ToDecision(await TryAcquireManyAsync(pauseKey, limits, 1));

    /// <summary>
    /// Takes as many of <paramref name="wanted"/> slots as every limit has room for, in one round
    /// trip; none (with the wait until one frees) when a limit is full or the key is paused.
    /// Without limits, all are granted unless paused.
    /// </summary>
    public async Task<RateGrant> TryAcquireManyAsync(string pauseKey, IReadOnlyList<RateLimit> limits, int wanted)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wanted, 1);
        var keys = new RedisKey[limits.Count + 1];
        var values = new RedisValue[limits.Count * 2 + 2];
        keys[0] = KeyPrefix + "pause:" + pauseKey;
        // Members must be unique across instances and calls: a grant of k adds prefix1..prefixk.
        values[0] = Guid.NewGuid().ToString("N") + ":";
        values[1] = wanted;
        for (var i = 0; i < limits.Count; i++)
        {
            keys[i + 1] = KeyPrefix + limits[i].Key;
            values[2 * i + 2] = limits[i].Limit;
            values[2 * i + 3] = (long)limits[i].Window.TotalMilliseconds;
        }

        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AcquireScript, keys, values))!;
        var by = (int)result[2];
        return new RateGrant(
            (int)result[0],
            TimeSpan.FromMilliseconds((long)result[1]),
            by switch { -1 => null, 0 => "pause:" + pauseKey, _ => limits[by - 1].Key },
            DateTimeOffset.FromUnixTimeMilliseconds((long)result[3]))
        {
            Slots = (string)values[0]!,
        };
    }

    /// <summary>
    /// Gives back <paramref name="unused"/> of the slots <paramref name="grant"/> took in
    /// <paramref name="limits"/> (the same limits it was asked with): work that took slots and then
    /// found nothing to do leaves every window as it found it. Sent without waiting for the reply,
    /// so it never delays the sends the other slots were for; a return that is lost only leaves
    /// the slots taken until their window ends, which is never more than the limit allows.
    /// </summary>
    public void Return(IReadOnlyList<RateLimit> limits, RateGrant grant, int unused)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(unused, grant.Granted);
        if (unused <= 0 || limits.Count == 0 || grant.Slots is null)
        {
            return;
        }

        // The grant's members are its prefix followed by 1..Granted; the last ones go back.
        var keys = limits.Select(l => (RedisKey)(KeyPrefix + l.Key)).ToArray();
        redis.GetDatabase().ScriptEvaluate(ReturnScript, keys, [grant.Slots, grant.Granted - unused + 1, grant.Granted], CommandFlags.FireAndForget);
    }

    /// <summary>
    /// Counts the first <paramref name="used"/> slots <paramref name="grant"/> took in
    /// <paramref name="limits"/> (the same limits it was asked with) from now instead of from the
    /// grant, in one round trip. A request reaches the provider some time after its slot was taken
    /// and before its call completes; re-stamped when the calls complete, a slot counts for a whole
    /// window after its request arrived, so no window at the provider holds more than the limit.
    /// Slots already given back or out of their window are not taken again. Returns Redis's time.
    /// </summary>
    public async Task<DateTimeOffset?> RestampAsync(IReadOnlyList<RateLimit> limits, RateGrant grant, int used)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(used, grant.Granted);
        if (used <= 0 || limits.Count == 0 || grant.Slots is null)
        {
            return null;
        }

        var keys = limits.Select(l => (RedisKey)(KeyPrefix + l.Key)).ToArray();
        var values = new RedisValue[limits.Count + 3];
        values[0] = grant.Slots;
        values[1] = 1;
        values[2] = used;
        for (var i = 0; i < limits.Count; i++)
        {
            values[i + 3] = (long)limits[i].Window.TotalMilliseconds;
        }

        var now = await redis.GetDatabase().ScriptEvaluateAsync(RestampScript, keys, values);
        return DateTimeOffset.FromUnixTimeMilliseconds((long)now);
    }

    /// <summary>
    /// Waits for a slot, up to <paramref name="maxWait"/> in all; false when the wait would exceed it
    /// (the caller then parks the work durably instead of holding a consumer).
    /// </summary>
    public async Task<RateDecision> AcquireAsync(
        string pauseKey, IReadOnlyList<RateLimit> limits, TimeSpan maxWait, TimeProvider clock, CancellationToken cancellationToken, Action<RateDecision>? onDenied = null) =>
        ToDecision(await AcquireManyAsync(pauseKey, limits, 1, maxWait, clock, cancellationToken,
            onDenied is null ? null : grant => onDenied(ToDecision(grant))));

    /// <summary>
    /// Waits until at least one of <paramref name="wanted"/> slots is granted, up to
    /// <paramref name="maxWait"/> in all; a grant of 0 when the wait would exceed it.
    /// <paramref name="onDenied"/> sees every answer that granted nothing.
    /// </summary>
    public async Task<RateGrant> AcquireManyAsync(
        string pauseKey, IReadOnlyList<RateLimit> limits, int wanted, TimeSpan maxWait, TimeProvider clock, CancellationToken cancellationToken,
        Action<RateGrant>? onDenied = null)
    {
        var deadline = clock.GetUtcNow() + maxWait;
        while (true)
        {
            var grant = await TryAcquireManyAsync(pauseKey, limits, wanted);
            if (grant.Granted > 0)
            {
                return grant;
            }

            onDenied?.Invoke(grant);
            if (clock.GetUtcNow() + grant.RetryAfter > deadline)
            {
                return grant;
            }

            await Task.Delay(grant.RetryAfter, clock, cancellationToken);
        }
    }

    /// <summary>Stops every acquisition under <paramref name="pauseKey"/> for <paramref name="duration"/>, across all instances.</summary>
    public Task PauseAsync(string pauseKey, TimeSpan duration) =>
        redis.GetDatabase().StringSetAsync(KeyPrefix + "pause:" + pauseKey, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), duration);

    /// <summary>How much longer <paramref name="pauseKey"/> is paused, or null when it is not.</summary>
    public async Task<TimeSpan?> PausedForAsync(string pauseKey) =>
        await redis.GetDatabase().KeyTimeToLiveAsync(KeyPrefix + "pause:" + pauseKey) is { } left && left > TimeSpan.Zero ? left : null;

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

    private static RateDecision ToDecision(RateGrant grant) =>
        new(grant.Granted > 0, grant.RetryAfter, grant.LimitedBy, grant.DecidedAt);
}
