using System.Collections.Concurrent;
using StackExchange.Redis;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.IntegrationTests.Redis;

/// <summary>Batch acquisition: as many slots as every limit allows, in one round trip.</summary>
[TestFixture]
public sealed class RateLimiterBatchTests
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

    // 2,500 is more than the script adds per ZADD call.
    [TestCase(4)]
    [TestCase(2_500)]
    public async Task Batch_under_the_limit_is_granted_in_full(int wanted)
    {
        var limit = new RateLimit(Key(), 5_000, TimeSpan.FromSeconds(10));

        var grant = await _limiter.TryAcquireManyAsync(Key(), [limit], wanted);
        var usage = await _limiter.GetUsageAsync("p", limit);

        Assert.Multiple(() =>
        {
            Assert.That(grant.Granted, Is.EqualTo(wanted));
            Assert.That(grant.RetryAfter, Is.EqualTo(TimeSpan.Zero));
            Assert.That(grant.LimitedBy, Is.Null);
            Assert.That(usage.Used, Is.EqualTo(wanted), "one member per slot");
        });
    }

    [Test]
    public async Task Batch_at_the_edge_gets_what_is_left_and_the_wait_for_the_next_slot()
    {
        var limit = new RateLimit(Key(), 10, TimeSpan.FromSeconds(10));
        var first = await _limiter.TryAcquireManyAsync("p", [limit], 7);

        var edge = await _limiter.TryAcquireManyAsync("p", [limit], 5);
        var usage = await _limiter.GetUsageAsync("p", limit);

        Assert.Multiple(() =>
        {
            Assert.That(first.Granted, Is.EqualTo(7));
            Assert.That(edge.Granted, Is.EqualTo(3));
            Assert.That(edge.LimitedBy, Is.EqualTo(limit.Key));
            Assert.That(edge.RetryAfter, Is.EqualTo(first.DecidedAt + limit.Window - edge.DecidedAt).Within(TimeSpan.FromMilliseconds(1)),
                "the next slot frees when the first batch leaves the window");
            Assert.That(usage.Used, Is.EqualTo(10));
        });
    }

    [Test]
    public async Task Full_limit_grants_nothing_and_waits_until_the_oldest_slot_leaves()
    {
        var limit = new RateLimit(Key(), 3, TimeSpan.FromSeconds(10));
        var roomy = new RateLimit(Key(), 100, TimeSpan.FromSeconds(10));
        var oldest = await _limiter.TryAcquireManyAsync("p", [limit, roomy], 2);
        await _limiter.TryAcquireManyAsync("p", [limit, roomy], 1);

        var denied = await _limiter.TryAcquireManyAsync("p", [limit, roomy], 2);
        var roomyUsage = await _limiter.GetUsageAsync("p", roomy);

        Assert.Multiple(() =>
        {
            Assert.That(denied.Granted, Is.Zero);
            Assert.That(denied.LimitedBy, Is.EqualTo(limit.Key));
            Assert.That(denied.RetryAfter, Is.EqualTo(oldest.DecidedAt + limit.Window - denied.DecidedAt).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(roomyUsage.Used, Is.EqualTo(3), "a denial takes no slot in any limit");
        });
    }

    [Test]
    public async Task Tightest_of_several_limits_caps_the_batch()
    {
        var tenant = new RateLimit(Key(), 5, TimeSpan.FromSeconds(10));
        var channel = new RateLimit(Key(), 100, TimeSpan.FromSeconds(10));
        var otherChannel = new RateLimit(Key(), 100, TimeSpan.FromSeconds(10));
        await _limiter.TryAcquireManyAsync("p", [otherChannel, tenant], 3);

        var grant = await _limiter.TryAcquireManyAsync("p", [channel, tenant], 10);
        var channelUsage = await _limiter.GetUsageAsync("p", channel);

        Assert.Multiple(() =>
        {
            Assert.That(grant.Granted, Is.EqualTo(2));
            Assert.That(grant.LimitedBy, Is.EqualTo(tenant.Key));
            Assert.That(channelUsage.Used, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Paused_key_grants_nothing_for_the_rest_of_the_pause()
    {
        var pause = Key();
        var limit = new RateLimit(Key(), 100, TimeSpan.FromSeconds(10));
        await _limiter.PauseAsync(pause, TimeSpan.FromSeconds(5));

        var limited = await _limiter.TryAcquireManyAsync(pause, [limit], 10);
        var unlimited = await _limiter.TryAcquireManyAsync(pause, [], 10);
        var usage = await _limiter.GetUsageAsync(pause, limit);

        Assert.Multiple(() =>
        {
            Assert.That(limited.Granted, Is.Zero);
            Assert.That(limited.LimitedBy, Is.EqualTo("pause:" + pause));
            Assert.That(limited.RetryAfter, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(unlimited.Granted, Is.Zero, "a pause holds channels without a limit too");
            Assert.That(usage.Used, Is.Zero);
        });
    }

    [Test]
    public async Task Returned_slots_are_free_again_in_every_limit()
    {
        var channel = new RateLimit(Key(), 10, TimeSpan.FromMinutes(1));
        var tenant = new RateLimit(Key(), 20, TimeSpan.FromMinutes(1));
        var other = await _limiter.TryAcquireManyAsync("p", [tenant], 5);

        var grant = await _limiter.TryAcquireManyAsync("p", [channel, tenant], 8);
        _limiter.Return([channel, tenant], grant, 6);
        // Sent without a reply, but on the same connection as the read that follows, so it is applied first.
        var channelUsage = await _limiter.GetUsageAsync("p", channel);
        var tenantUsage = await _limiter.GetUsageAsync("p", tenant);

        Assert.Multiple(() =>
        {
            Assert.That(other.Granted, Is.EqualTo(5));
            Assert.That(grant.Granted, Is.EqualTo(8));
            Assert.That(channelUsage.Used, Is.EqualTo(2), "the two used stay, the six returned are gone");
            Assert.That(tenantUsage.Used, Is.EqualTo(7), "another grant's slots are untouched");
        });
    }

    [Test]
    public async Task No_limits_grant_everything()
    {
        var grant = await _limiter.TryAcquireManyAsync(Key(), [], 10_000);

        Assert.That(grant, Is.EqualTo(new RateGrant(10_000, TimeSpan.Zero, null, grant.DecidedAt) { Slots = grant.Slots }));
    }

    [Test]
    public async Task Waiting_batch_gets_the_slots_the_window_frees()
    {
        var limit = new RateLimit(Key(), 5, TimeSpan.FromMilliseconds(500));
        var first = await _limiter.TryAcquireManyAsync("p", [limit], 5);
        var denials = 0;

        var grant = await _limiter.AcquireManyAsync("p", [limit], 5, TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None,
            _ => Interlocked.Increment(ref denials));

        Assert.Multiple(() =>
        {
            Assert.That(grant.Granted, Is.EqualTo(5), "the first batch left the window all at once");
            Assert.That(grant.DecidedAt - first.DecidedAt, Is.GreaterThanOrEqualTo(limit.Window));
            Assert.That(denials, Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public async Task Waiting_batch_gives_up_when_the_wait_exceeds_the_bound()
    {
        var limit = new RateLimit(Key(), 1, TimeSpan.FromSeconds(30));
        await _limiter.TryAcquireManyAsync("p", [limit], 1);

        var grant = await _limiter.AcquireManyAsync("p", [limit], 3, TimeSpan.FromMilliseconds(200), TimeProvider.System, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(grant.Granted, Is.Zero);
            Assert.That(grant.RetryAfter, Is.GreaterThan(TimeSpan.FromSeconds(20)));
        });
    }

    [Test]
    public async Task Concurrent_batches_from_several_instances_never_exceed_the_limit_in_any_window()
    {
        const int perWindow = 20;
        const int wantedInAll = 80;
        var window = TimeSpan.FromSeconds(1);
        var limit = new RateLimit(Key(), perWindow, window);
        var grants = new ConcurrentBag<DateTimeOffset>();
        var instances = new List<ConnectionMultiplexer>();
        for (var i = 0; i < 4; i++)
        {
            instances.Add(await ConnectionMultiplexer.ConnectAsync(TestServices.Redis));
        }

        try
        {
            var taken = 0;
            // Two callers per instance, each asking for 1 to 7 slots at a time.
            await Task.WhenAll(instances.SelectMany(connection => Enumerable.Range(0, 2).Select(caller => Task.Run(async () =>
            {
                var limiter = new RedisRateLimiter(connection);
                var random = new Random(caller);
                while (Volatile.Read(ref taken) < wantedInAll)
                {
                    var grant = await limiter.AcquireManyAsync("p", [limit], random.Next(1, 8), TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
                    Assert.That(grant.Granted, Is.Positive);
                    Interlocked.Add(ref taken, grant.Granted);
                    for (var slot = 0; slot < grant.Granted; slot++)
                    {
                        grants.Add(grant.DecidedAt);
                    }
                }
            }))));
        }
        finally
        {
            instances.ForEach(c => c.Dispose());
        }

        var sorted = grants.Order().ToList();
        Assert.That(sorted, Has.Count.GreaterThanOrEqualTo(wantedInAll));
        for (var i = perWindow; i < sorted.Count; i++)
        {
            Assert.That(sorted[i] - sorted[i - perWindow], Is.GreaterThanOrEqualTo(window),
                $"slots {i - perWindow} and {i} are {perWindow + 1} slots inside one window");
        }
    }

    private static string Key() => "test:" + Guid.NewGuid().ToString("N");
}
