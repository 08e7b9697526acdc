using System.Reflection;
using System.Text;
using StackExchange.Redis;
using Turumba.Channels;
using Turumba.Dispatch.Sending;
using Turumba.Platform.Redis.Counters;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.UnitTests.Platform;

/// <summary>
/// Redis Cluster runs a script only when all its keys are in one hash slot. Each key family's real
/// calls are recorded (a Redis stand-in that only answers) and their keys hashed as the cluster does.
/// </summary>
[TestFixture]
public sealed class RedisHashSlotTests
{
    [Test]
    public void The_slot_calculation_matches_the_cluster_specification()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Crc16(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0x31C3), "the specification's test vector");
            Assert.That(HashSlot("{user1000}.following"), Is.EqualTo(HashSlot("{user1000}.followers")));
            Assert.That(HashSlot("foo{}{bar}"), Is.EqualTo(Crc16(Encoding.ASCII.GetBytes("foo{}{bar}")) % 16384), "an empty tag hashes the whole key");
            Assert.That(HashSlot("foo{{bar}}zap"), Is.EqualTo(HashSlot("{bar")), "the tag ends at the first closing brace");
        });
    }

    [Test]
    public async Task Every_rate_limiter_call_keeps_its_keys_in_one_slot()
    {
        var redis = RecordingRedis.Create(out var calls);
        var limiter = new RedisRateLimiter(redis);
        var channel = Guid.NewGuid();
        var pauseKey = ChannelRateLimits.PauseKey(channel);
        RateLimit[] limits =
        [
            RateLimit.PerMinute(ChannelRateLimits.ChannelKey(channel), 60),
            RateLimit.PerMinute(ChannelRateLimits.ProviderAccountKey(new ProviderAccount("twilio", "AC0123")), 600),
            RateLimit.PerMinute(ChannelRateLimits.TenantKey(Guid.NewGuid()), 6000),
        ];

        var grant = await limiter.TryAcquireManyAsync(pauseKey, limits, 10);
        limiter.Return(limits, grant, 4);
        foreach (var limit in limits)
        {
            await limiter.GetUsageAsync(pauseKey, limit);
        }

        Assert.That(calls.Select(c => c.Length), Is.EqualTo(new[] { 4, 3, 2, 2, 2 }), "acquire, return and three usage reads");
        AssertOneSlotPerCall(calls);
        Assert.That(calls.SelectMany(c => c).Select(HashSlot).Distinct().Count(), Is.EqualTo(1),
            "one tag for the family: a provider account's window is shared by the channels of every tenant");
    }

    [Test]
    public async Task Counter_and_dispatch_lock_calls_touch_one_key_each()
    {
        var redis = RecordingRedis.Create(out var calls);
        await new RedisCounters(redis).IncrementAsync("group:" + Guid.NewGuid(), [new("sent", 1), new("pending", -1)]);
        await using (var locks = new DispatchLocks(redis))
        {
            await using var held = await locks.TryAcquireAsync(Guid.NewGuid().ToString());
        }

        Assert.That(calls, Has.Count.EqualTo(2), "the increment script and the lock's release script");
        Assert.That(calls.Select(c => c.Length), Is.All.EqualTo(1));
    }

    private static void AssertOneSlotPerCall(IEnumerable<string[]> calls) => Assert.Multiple(() =>
    {
        foreach (var keys in calls)
        {
            Assert.That(keys.Select(HashSlot).Distinct().Count(), Is.EqualTo(1), string.Join(", ", keys));
        }
    });

    // The Redis Cluster specification: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384.
    private static int HashSlot(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open >= 0)
        {
            var close = key.IndexOf('}', open + 1);
            if (close > open + 1)
            {
                key = key[(open + 1)..close];
            }
        }

        return Crc16(Encoding.UTF8.GetBytes(key)) % 16384;
    }

    private static int Crc16(byte[] bytes)
    {
        var crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }

        return crc & 0xFFFF;
    }

    /// <summary>
    /// A multiplexer and database that record the keys of every script run and answer as an idle
    /// Redis would (a grant of everything asked, nothing used); any other command succeeds.
    /// </summary>
#pragma warning disable CA1852 // DispatchProxy derives the recording type at run time; it cannot be sealed.
    internal class RecordingRedis : DispatchProxy
#pragma warning restore CA1852
    {
        private List<string[]> _calls = [];
        private object? _database;

        public static IConnectionMultiplexer Create(out List<string[]> calls)
        {
            var database = Create<IDatabase, RecordingRedis>();
            var multiplexer = Create<IConnectionMultiplexer, RecordingRedis>();
            calls = [];
            ((RecordingRedis)(object)database)._calls = calls;
            ((RecordingRedis)(object)multiplexer)._database = database;
            return multiplexer;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IConnectionMultiplexer.GetDatabase))
            {
                return _database;
            }

            if (targetMethod.Name.StartsWith("ScriptEvaluate", StringComparison.Ordinal) && args is [string script, RedisKey[] keys, RedisValue[] values, ..])
            {
                _calls.Add(keys.Select(k => k.ToString()).ToArray());
                var answer = script.Contains("ZADD", StringComparison.Ordinal)
                    ? RedisResult.Create([RedisResult.Create(values[1]), RedisResult.Create(0), RedisResult.Create(-1), RedisResult.Create(0)])
                    : RedisResult.Create([RedisResult.Create(0), RedisResult.Create(0), RedisResult.Create(-2)]);
                return targetMethod.ReturnType == typeof(Task<RedisResult>) ? Task.FromResult(answer) : answer;
            }

            return targetMethod.ReturnType switch
            {
                var t when t == typeof(Task<bool>) => Task.FromResult(true),
                var t when t == typeof(Task) => Task.CompletedTask,
                var t when t == typeof(void) => null,
                var t when t.IsValueType => Activator.CreateInstance(t),
                _ => null,
            };
        }
    }
}
