using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Simulator;
using Turumba.Simulator.Telegram;

namespace Turumba.IntegrationTests.Dispatch;

/// <summary>
/// A channel's limit and a provider's pause hold across dispatch instances: four hosts with the
/// role <c>dispatch:telegram</c> share one queue. Messages go in through the API and are counted
/// where they come out, at the simulator, so these tests hold any dispatch pipeline to the promise.
/// </summary>
[TestFixture]
public sealed class RateLimitTests
{
    private const int Instances = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // A slot counts from when its round's calls complete, after its request arrived, so the window
    // holds at the simulator to the clocks' resolution: Redis's reads whole milliseconds (decision 89).
    // Before, slots counted from their grant and sends arrived up to 2.7 s later (CI) than their slots.
    private static readonly TimeSpan ClockResolution = TimeSpan.FromMilliseconds(2);

    private readonly List<TurumbaApp> _dispatchers = [];
    private SimulatorHost _simulator = null!;
    private IsolatedServices _services = null!;
    private TurumbaApp _api = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _simulator = await SimulatorHost.StartAsync();
        _services = await IsolatedServices.CreateAsync("ratelimit");
        _api = new TurumbaApp(roles: "api,outbox", settings: _services.Settings);
        _client = await _api.CreateAccountClientAsync("rate limits");
        for (var i = 0; i < Instances; i++)
        {
            var dispatcher = new TurumbaApp(roles: "dispatch:telegram", settings: _services.Settings);
            _dispatchers.Add(dispatcher);
            // Consuming before the first message is queued, so the broker spreads the work over all four.
            await dispatcher.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, Deadline);
        }

        // Every instance's first sends pay for JIT compilation and new connections, hundreds of ms
        // between slot and arrival that a running dispatcher does not have; get them over with here.
        var (warmUp, _) = await CreateChannelAsync(perMinute: null);
        await PostAsync(warmUp, Enumerable.Range(0, 100).Select(i => $"warm-up {i}"));
        await Eventually.WaitAsync(async () => await CountAsync(warmUp, "sent") == 100, Deadline, "the warm-up messages to be sent");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        foreach (var dispatcher in _dispatchers)
        {
            await dispatcher.DisposeAsync();
        }

        await _api.DisposeAsync();
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    [SetUp]
    public void ResetSimulator() => _simulator.Telegram.Faults.Reset();

    [Test]
    public async Task Four_instances_sending_300_on_a_channel_limited_to_120_a_minute_never_exceed_it_in_any_window()
    {
        const int perMinute = 120;
        var texts = Enumerable.Range(0, 300).Select(i => $"limited {i}").ToList();
        var (channel, token) = await CreateChannelAsync(perMinute);

        await PostAsync(channel, texts);
        await Eventually.WaitAsync(async () => await CountAsync(channel, "sent") == texts.Count, TimeSpan.FromMinutes(4), "every message to be sent");

        var sends = Sends(token);
        var arrivals = sends.Select(s => s.ReceivedAt).Order().ToList();
        var narrowest = Enumerable.Range(perMinute, arrivals.Count - perMinute).Min(i => arrivals[i] - arrivals[i - perMinute]);
        await TestContext.Out.WriteLineAsync(
            $"{arrivals.Count} sends from {arrivals[0]:HH:mm:ss.fff} to {arrivals[^1]:HH:mm:ss.fff}; the narrowest span of {perMinute + 1} consecutive sends is {narrowest.TotalSeconds:F3} s");
        Assert.Multiple(() =>
        {
            Assert.That(sends.Select(s => s.StatusCode), Is.All.EqualTo(200));
            Assert.That(sends.Select(Text), Is.EquivalentTo(texts), "each message sent exactly once");
            Assert.That(narrowest, Is.GreaterThanOrEqualTo(Window - ClockResolution),
                $"{perMinute + 1} sends arrived within {narrowest.TotalSeconds:F3} s: more than {perMinute} in one window");
        });
    }

    [Test]
    public async Task Provider_429_pauses_every_instance_shows_rate_limited_then_every_message_is_sent_once()
    {
        var retryAfter = TimeSpan.FromSeconds(8);
        var (channel, token) = await CreateChannelAsync(perMinute: null);
        _simulator.Telegram.Faults.RateLimitNext(1, (int)retryAfter.TotalSeconds);

        await PostAsync(channel, ["first"]);
        await Eventually.WaitAsync(() => Task.FromResult(Sends(token).Any(s => s.StatusCode == 429)), Deadline, "the provider's 429");
        var limitedAt = Sends(token).Single(s => s.StatusCode == 429).ReceivedAt;
        JsonElement paused = default;
        await Eventually.WaitAsync(async () => (paused = await GetChannelAsync(channel)).GetProperty("status").GetString() == "rate_limited",
            Deadline, "the channel to show rate_limited");
        // Queued while paused: the broker hands these to all four instances, and none may send before the pause ends.
        var held = Enumerable.Range(0, 40).Select(i => $"held {i}").ToList();
        await PostAsync(channel, held);
        var heldQueuedBy = DateTimeOffset.UtcNow;

        await Eventually.WaitAsync(async () => await CountAsync(channel, "sent") == held.Count + 1, Deadline, "every message to be sent after the pause");
        await Eventually.WaitAsync(async () => (await GetChannelAsync(channel)).GetProperty("status").GetString() == "connected",
            Deadline, "the channel to be connected again");

        var sent = Sends(token).Where(s => s.StatusCode == 200).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(heldQueuedBy, Is.LessThan(limitedAt + retryAfter), "the messages were queued during the pause (else this test proves nothing)");
            Assert.That(paused.GetProperty("rate_limit_usage").GetProperty("paused_for_seconds").GetDouble(),
                Is.GreaterThan(0).And.LessThanOrEqualTo(retryAfter.TotalSeconds));
            Assert.That(sent.Select(Text), Is.EquivalentTo(held.Prepend("first")), "each message sent exactly once");
            Assert.That(sent.Min(s => s.ReceivedAt), Is.GreaterThanOrEqualTo(limitedAt + retryAfter), "no instance sent during the pause");
        });
    }

    private async Task<(Guid Channel, string Token)> CreateChannelAsync(int? perMinute)
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var id = (await (await _client.PostJsonAsync("/v1/channels", new
        {
            name = "limited " + token[..6],
            channel_type = "telegram",
            rate_limit = perMinute,
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = _simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        return (id, token);
    }

    private Task PostAsync(Guid channel, IEnumerable<string> texts) =>
        Parallel.ForEachAsync(texts, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (text, _) =>
            await (await _client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "5550001", message_body = text }))
                .ExpectAsync(HttpStatusCode.Created));

    private async Task<long> CountAsync(Guid channel, string status) =>
        (await (await _client.GetAsync($"/v1/messages?filter=channel_id:eq:{channel}&filter=status:eq:{status}&limit=1")).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("meta").GetProperty("total").GetInt64();

    private async Task<JsonElement> GetChannelAsync(Guid channel) =>
        (await (await _client.GetAsync($"/v1/channels/{channel}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

    private List<TelegramRequest> Sends(string token) =>
        _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).ToList();

    private static string Text(TelegramRequest send) => send.Parameters["text"]!.ToString();
}
