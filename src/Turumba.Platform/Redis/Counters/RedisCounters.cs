using StackExchange.Redis;

namespace Turumba.Platform.Redis.Counters;

/// <summary>
/// Named counters in one Redis hash per subject (e.g. a group send's pending/sent/delivered/failed),
/// changed atomically together and expiring after a day without change. Callers batch their
/// changes (one call per batch of outcomes, not per message) and flush totals to PostgreSQL.
/// </summary>
public sealed class RedisCounters(IConnectionMultiplexer redis)
{
    public const string KeyPrefix = "turumba:counters:";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    // KEYS[1]: hash. ARGV: lifetime ms, then field, delta pairs. Returns the new values in order.
    private const string IncrementScript = """
        local values = {}
        for i = 2, #ARGV, 2 do
          values[#values + 1] = redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return values
        """;

    /// <summary>Adds the deltas in one atomic step and returns the new values, in the order given.</summary>
    public async Task<long[]> IncrementAsync(string subject, IReadOnlyList<KeyValuePair<string, long>> deltas)
    {
        var values = new RedisValue[deltas.Count * 2 + 1];
        values[0] = (long)Lifetime.TotalMilliseconds;
        for (var i = 0; i < deltas.Count; i++)
        {
            values[2 * i + 1] = deltas[i].Key;
            values[2 * i + 2] = deltas[i].Value;
        }

        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(IncrementScript, [KeyPrefix + subject], values))!;
        return Array.ConvertAll(result, r => (long)r);
    }

    public async Task<IReadOnlyDictionary<string, long>> GetAsync(string subject)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(KeyPrefix + subject);
        return entries.ToDictionary(e => e.Name.ToString(), e => (long)e.Value, StringComparer.Ordinal);
    }

    public Task DeleteAsync(string subject) => redis.GetDatabase().KeyDeleteAsync(KeyPrefix + subject);
}
