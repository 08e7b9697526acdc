using StackExchange.Redis;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.IntegrationTests.Redis;

[TestFixture]
public sealed class RateLimiterTests
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
    public async Task Under_the_limit_goes_and_at_the_limit_waits_until_the_oldest_slot_leaves()
    {
        var limit = new RateLimit(Key(), 3, TimeSpan.FromSeconds(10));

        var granted = new List<RateDecision>();
        for (var i = 0; i < 3; i++)
        {
            granted.Add(await _limiter.TryAcquireAsync(Key(), [limit]));
        }

        var denied = await _limiter.TryAcquireAsync("p", [limit]);
        var expectedWait = granted[0].DecidedAt + limit.Window - denied.DecidedAt;
        Assert.Multiple(() =>
        {
            Assert.That(granted.All(d => d.Allowed), Is.True);
            Assert.That(denied.Allowed, Is.False);
            Assert.That(denied.LimitedBy, Is.EqualTo(limit.Key));
            Assert.That(denied.RetryAfter, Is.EqualTo(expectedWait).Within(TimeSpan.FromMilliseconds(1)));
        });
    }

    [Test]
    public async Task Window_rolls_and_slots_come_back()
    {
        var limit = new RateLimit(Key(), 2, TimeSpan.FromMilliseconds(300));
        await _limiter.TryAcquireAsync("p", [limit]);
        await _limiter.TryAcquireAsync("p", [limit]);
        Assert.That((await _limiter.TryAcquireAsync("p", [limit])).Allowed, Is.False);

        await Eventually.WaitAsync(async () => (await _limiter.TryAcquireAsync("p", [limit])).Allowed, TimeSpan.FromSeconds(5), "a slot after the window");
    }

    [Test]
    public async Task No_limit_always_goes()
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.That((await _limiter.TryAcquireAsync(Key(), [])).Allowed, Is.True);
        }
    }

    [Test]
    public async Task Tightest_of_several_limits_decides_and_a_denial_takes_no_slot()
    {
        var channel = new RateLimit(Key(), 10, TimeSpan.FromSeconds(10));
        var tenant = new RateLimit(Key(), 2, TimeSpan.FromSeconds(10));
        await _limiter.TryAcquireAsync("p", [channel, tenant]);
        await _limiter.TryAcquireAsync("p", [channel, tenant]);

        var denied = await _limiter.TryAcquireAsync("p", [channel, tenant]);
        var channelUsage = await _limiter.GetUsageAsync("p", channel);

        Assert.Multiple(() =>
        {
            Assert.That(denied.LimitedBy, Is.EqualTo(tenant.Key));
            Assert.That(channelUsage.Used, Is.EqualTo(2));
            Assert.That(channelUsage.Remaining, Is.EqualTo(8));
            Assert.That(channelUsage.ResetAfter, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(channel.Window));
        });
    }

    [Test]
    public async Task Pause_stops_every_instance_until_it_expires()
    {
        var pause = Key();
        var limit = new RateLimit(Key(), 100, TimeSpan.FromSeconds(10));
        using var otherInstance = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        var other = new RedisRateLimiter(otherInstance);

        await _limiter.PauseAsync(pause, TimeSpan.FromMilliseconds(400));
        var denied = await other.TryAcquireAsync(pause, [limit]);
        var usage = await other.GetUsageAsync(pause, limit);

        Assert.Multiple(() =>
        {
            Assert.That(denied.Allowed, Is.False);
            Assert.That(denied.LimitedBy, Is.EqualTo("pause:" + pause));
            Assert.That(denied.RetryAfter, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMilliseconds(400)));
            Assert.That(usage.PausedFor, Is.Not.Null);
        });
        await Eventually.WaitAsync(async () => (await other.TryAcquireAsync(pause, [limit])).Allowed, TimeSpan.FromSeconds(5), "the pause to end");
    }

    [Test]
    public async Task Concurrent_instances_never_exceed_the_limit_in_any_window()
    {
        const int perWindow = 20;
        var window = TimeSpan.FromSeconds(1);
        var limit = new RateLimit(Key(), perWindow, window);
        var grants = new System.Collections.Concurrent.ConcurrentBag<DateTimeOffset>();
        var instances = new List<ConnectionMultiplexer>();
        for (var i = 0; i < 4; i++)
        {
            instances.Add(await ConnectionMultiplexer.ConnectAsync(TestServices.Redis));
        }

        try
        {
            var remaining = 60;
            await Task.WhenAll(instances.Select(connection => Task.Run(async () =>
            {
                var limiter = new RedisRateLimiter(connection);
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    var decision = await limiter.AcquireAsync("p", [limit], TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
                    Assert.That(decision.Allowed, Is.True);
                    grants.Add(decision.DecidedAt);
                }
            })));
        }
        finally
        {
            instances.ForEach(c => c.Dispose());
        }

        var sorted = grants.Order().ToList();
        Assert.That(sorted, Has.Count.EqualTo(60));
        for (var i = perWindow; i < sorted.Count; i++)
        {
            Assert.That(sorted[i] - sorted[i - perWindow], Is.GreaterThanOrEqualTo(window),
                $"grants {i - perWindow} and {i} are {perWindow + 1} grants inside one window");
        }
    }

    private static string Key() => "test:" + Guid.NewGuid().ToString("N");
}
