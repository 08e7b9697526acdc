using StackExchange.Redis;
using Turumba.Platform.Redis.Counters;

namespace Turumba.IntegrationTests.Redis;

[TestFixture]
public sealed class CountersTests
{
    [Test]
    public async Task Concurrent_increments_from_several_instances_are_exact()
    {
        var subject = "test:" + Guid.NewGuid().ToString("N");
        var connections = new List<ConnectionMultiplexer>();
        for (var i = 0; i < 4; i++)
        {
            connections.Add(await ConnectionMultiplexer.ConnectAsync(TestServices.Redis));
        }

        try
        {
            await Task.WhenAll(connections.SelectMany(connection => Enumerable.Range(0, 50).Select(_ =>
                new RedisCounters(connection).IncrementAsync(subject, [new("sent", 3), new("pending", -3)]))));

            var totals = await new RedisCounters(connections[0]).GetAsync(subject);
            var ttl = await connections[0].GetDatabase().KeyTimeToLiveAsync(RedisCounters.KeyPrefix + subject);

            Assert.Multiple(() =>
            {
                Assert.That(totals["sent"], Is.EqualTo(600));
                Assert.That(totals["pending"], Is.EqualTo(-600));
                Assert.That(ttl, Is.GreaterThan(TimeSpan.FromHours(23)).And.LessThanOrEqualTo(RedisCounters.Lifetime));
            });
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }
    }

    [Test]
    public async Task Increment_returns_the_new_values_in_order()
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        var counters = new RedisCounters(connection);
        var subject = "test:" + Guid.NewGuid().ToString("N");

        await counters.IncrementAsync(subject, [new("a", 5)]);
        var values = await counters.IncrementAsync(subject, [new("b", 2), new("a", 1)]);

        Assert.That(values, Is.EqualTo(new long[] { 2, 6 }));
    }
}
