using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Turumba.Channels;
using Turumba.Channels.Caching;

namespace Turumba.IntegrationTests.Channels;

/// <summary>The two-level channel cache: memory, then Redis (ciphertext only), then PostgreSQL.</summary>
[TestFixture]
public sealed class ChannelCacheTests
{
    private const string Token = "3:AAchannel_cache_token_0123456789abcdef";

    [Test]
    public async Task Hit_concurrent_miss_loads_once_and_redis_holds_no_plaintext()
    {
        await using var services = await IsolatedServices.CreateAsync("cache");
        await using var app = new TurumbaApp(settings: services.Settings);
        var account = await app.CreateAccountAsync("cache");
        var id = await InsertChannelAsync(app, account.AccountId);
        var cache = app.Services.GetRequiredService<CachedChannelCatalog>();
        var before = cache.DatabaseLoads;

        var found = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => cache.FindAsync(id, default)));
        var again = await cache.FindAsync(id, default);
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        var stored = (string?)await redis.GetDatabase().StringGetAsync($"turumba:channel:{id}");

        Assert.Multiple(() =>
        {
            Assert.That(cache.DatabaseLoads - before, Is.EqualTo(1), "twenty concurrent misses, one load");
            Assert.That(found.All(c => c?.Credentials.Get("bot_token") == Token), Is.True);
            Assert.That(again?.Id, Is.EqualTo(id));
            Assert.That(stored, Is.Not.Null.And.Not.Contain(Token[2..]), "Redis holds the ciphertext, never the token");
        });
    }

    [Test]
    public async Task Entries_expire_after_their_time_to_live()
    {
        await using var services = await IsolatedServices.CreateAsync("cachettl");
        await using var app = new TurumbaApp(settings: new Dictionary<string, string?>(services.Settings) { ["Turumba:Channels:Cache:TimeToLive"] = "00:00:00.300" });
        var account = await app.CreateAccountAsync("ttl");
        var id = await InsertChannelAsync(app, account.AccountId);
        var cache = app.Services.GetRequiredService<CachedChannelCatalog>();
        await cache.FindAsync(id, default);
        var loads = cache.DatabaseLoads;

        await Eventually.WaitAsync(async () =>
        {
            await cache.FindAsync(id, default);
            return cache.DatabaseLoads > loads;
        }, TimeSpan.FromSeconds(10), "the entry to expire and be loaded again");
    }

    [Test]
    public async Task A_change_made_on_one_instance_is_seen_by_another()
    {
        await using var services = await IsolatedServices.CreateAsync("cacheevict");
        await using var first = new TurumbaApp(settings: services.Settings);
        await using var second = new TurumbaApp(roles: "dispatch", settings: services.Settings);
        using var client = await first.CreateAccountClientAsync("evict");
        var id = await CreateChannelAsync(client);
        // Its eviction queue exists once its bus is up; a read before that may stay stale for MemoryTimeToLive.
        await second.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        var secondCache = second.Services.GetRequiredService<IChannelCatalog>();
        Assert.That((await secondCache.FindAsync(id, default))?.IsEnabled, Is.True);

        await (await client.PatchJsonAsync($"/v1/channels/{id}", new { is_enabled = false })).ExpectAsync(HttpStatusCode.OK);

        await Eventually.WaitAsync(async () => (await secondCache.FindAsync(id, default))?.IsEnabled == false,
            TimeSpan.FromSeconds(30), "the second instance to see the channel disabled");
    }

    // Written straight to the table, so no ChannelChanged event races the test's own cache reads.
    private static async Task<Guid> InsertChannelAsync(TurumbaApp app, Guid accountId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Turumba.Platform.Persistence.TurumbaDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<Turumba.Channels.Credentials.CredentialProtector>();
        var channel = new Turumba.Channels.Channels.Channel
        {
            AccountId = accountId,
            Name = "cached",
            ChannelType = "telegram",
            EncryptedCredentials = protector.Protect(new Dictionary<string, string> { ["bot_token"] = Token }),
        };
        db.Add(channel);
        await db.SaveChangesAsync();
        return channel.Id;
    }

    private static async Task<Guid> CreateChannelAsync(HttpClient client) =>
        (await (await client.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "cached",
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = Token },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
}
