using StackExchange.Redis;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.IntegrationTests.Redis;

/// <summary>Re-stamping: a slot counts from when its call completed, not from when it was granted.</summary>
[TestFixture]
public sealed class RateLimiterRestampTests
{
    private ConnectionMultiplexer _redis = null!;
    private RedisRateLimiter _limiter = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        _limiter = new RedisRateLimiter(_redis);
    }

    [OneTimeTearDown]
    public void Disconnect() => _redis.Dispose();

    [Test]
    public async Task A_slot_in_flight_past_its_window_stays_taken_and_counts_for_a_window_after_its_call_completes()
    {
        var limit = new RateLimit(Key(), 1, TimeSpan.FromSeconds(2));
        var grant = await _limiter.TryAcquireManyAsync("p", [limit], 1);

        // Still in flight a quarter of a window later: re-stamped, as a long round's slots are.
        await RedisTimeReachesAsync(grant.DecidedAt + limit.Window / 4);
        var kept = (await _limiter.RestampAsync([limit], grant, 1))!.Value;
        await RedisTimeReachesAsync(grant.DecidedAt + limit.Window + TimeSpan.FromMilliseconds(100));
        var pastGrantWindow = await _limiter.TryAcquireManyAsync("p", [limit], 1);

        // The call completes.
        var completed = (await _limiter.RestampAsync([limit], grant, 1))!.Value;
        var afterCompletion = await _limiter.TryAcquireManyAsync("p", [limit], 1);
        var next = default(RateGrant);
        await Eventually.WaitAsync(async () => (next = await _limiter.TryAcquireManyAsync("p", [limit], 1)).Granted == 1,
            TimeSpan.FromSeconds(10), "the slot to leave a window after the call completed");

        Assert.Multiple(() =>
        {
            Assert.That(grant.Granted, Is.EqualTo(1));
            Assert.That(pastGrantWindow.Granted, Is.Zero, "a window after the grant, the slot in flight is still taken");
            Assert.That(pastGrantWindow.RetryAfter, Is.EqualTo(kept + limit.Window - pastGrantWindow.DecidedAt).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(afterCompletion.Granted, Is.Zero);
            Assert.That(afterCompletion.RetryAfter, Is.EqualTo(completed + limit.Window - afterCompletion.DecidedAt).Within(TimeSpan.FromMilliseconds(1)),
                "the slot frees a window after the call completed");
            Assert.That(next.DecidedAt, Is.GreaterThanOrEqualTo(completed + limit.Window));
        });
    }

    [Test]
    public async Task Only_the_used_slots_are_restamped_and_none_given_back_is_taken_again()
    {
        var channel = new RateLimit(Key(), 10, TimeSpan.FromSeconds(10));
        var tenant = new RateLimit(Key(), 10, TimeSpan.FromSeconds(10));
        var grant = await _limiter.TryAcquireManyAsync("p", [channel, tenant], 5);
        _limiter.Return([channel, tenant], grant, 2);

        var restamped = await _limiter.RestampAsync([channel, tenant], grant, 3);
        var nothing = await _limiter.RestampAsync([channel, tenant], grant, 0);
        var usage = await _limiter.GetUsageAsync("p", channel);
        var tenantUsage = await _limiter.GetUsageAsync("p", tenant);

        Assert.Multiple(() =>
        {
            Assert.That(restamped, Is.Not.Null);
            Assert.That(nothing, Is.Null, "nothing used, nothing to re-stamp");
            Assert.That(usage.Used, Is.EqualTo(3), "the two given back are not taken again");
            Assert.That(tenantUsage.Used, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task A_slot_that_left_its_window_is_not_taken_again()
    {
        var limit = new RateLimit(Key(), 10, TimeSpan.FromSeconds(1));
        var left = await _limiter.TryAcquireManyAsync("p", [limit], 1);
        await RedisTimeReachesAsync(left.DecidedAt + limit.Window / 2);
        // A later slot keeps the key, and the one that left its window in it until the next decision.
        await _limiter.TryAcquireManyAsync("p", [limit], 1);
        await RedisTimeReachesAsync(left.DecidedAt + limit.Window + TimeSpan.FromMilliseconds(10));

        await _limiter.RestampAsync([limit], left, 1);
        var usage = await _limiter.GetUsageAsync("p", limit);

        Assert.That(usage.Used, Is.EqualTo(1), "only the later slot is taken");
    }

    /// <summary>Waits until Redis's clock, which the limiter decides by, reaches <paramref name="at"/>.</summary>
    private Task RedisTimeReachesAsync(DateTimeOffset at) =>
        Eventually.WaitAsync(async () => (await _limiter.TryAcquireManyAsync(Key(), [], 1)).DecidedAt >= at, TimeSpan.FromSeconds(10),
            $"Redis's clock to reach {at:HH:mm:ss.fff}");

    private static string Key() => "test:" + Guid.NewGuid().ToString("N");
}
