using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Simulator;
using Turumba.Simulator.Telegram;

namespace Turumba.IntegrationTests.Dispatch;

/// <summary>
/// A channel's limit holds where the provider counts, by when requests arrive there, not by when
/// their slots were granted. Two dispatch instances make one provider call at a time each, so a
/// message that got its slot waits behind the others' slow calls before its request goes out: the
/// first window's requests arrive seconds after their slots. Slots that counted from their grant
/// would free a minute after it, and the next window's requests, sent at once, would land within
/// a minute of the late ones.
/// </summary>
[TestFixture]
public sealed class ProviderWindowTests
{
    private const int PerMinute = 5;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Latency = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // Redis's clock, which stamps the slots, reads whole milliseconds; the simulator's reads ticks.
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
        _services = await IsolatedServices.CreateAsync("providerwindow");
        _api = new TurumbaApp(roles: "api,outbox", settings: _services.Settings);
        _client = await _api.CreateAccountClientAsync("provider window");
        var settings = new Dictionary<string, string?>(_services.Settings) { ["Turumba:Dispatch:SendsPerChannelType"] = "1" };
        for (var i = 0; i < 2; i++)
        {
            var dispatcher = new TurumbaApp(roles: "dispatch:telegram", settings: settings);
            _dispatchers.Add(dispatcher);
            await dispatcher.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, Deadline);
        }
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

    [Test]
    public async Task Two_instances_with_slow_calls_never_put_more_than_the_limit_in_any_window_at_the_provider()
    {
        var texts = Enumerable.Range(0, 2 * PerMinute).Select(i => $"window {i}").ToList();
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var channel = await CreateChannelAsync(token);
        _simulator.Telegram.Faults.Latency = Latency;

        await Parallel.ForEachAsync(texts, async (text, _) =>
            await (await _client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "5550001", message_body = text }))
                .ExpectAsync(HttpStatusCode.Created));
        await Eventually.WaitAsync(() => Task.FromResult(Sends(token).Count >= PerMinute), Deadline, "the first window's sends");
        // The next window's requests go out together, as soon as their slots free.
        _simulator.Telegram.Faults.Latency = TimeSpan.Zero;
        await Eventually.WaitAsync(async () => await CountSentAsync(channel) == texts.Count, 3 * Deadline, "every message to be sent");

        var sends = Sends(token);
        var arrivals = sends.Select(s => s.ReceivedAt).Order().ToList();
        var narrowest = Enumerable.Range(PerMinute, arrivals.Count - PerMinute).Min(i => arrivals[i] - arrivals[i - PerMinute]);
        await TestContext.Out.WriteLineAsync(
            $"arrivals (s after the first): {string.Join(", ", arrivals.Select(a => (a - arrivals[0]).TotalSeconds.ToString("F3")))}");
        Assert.Multiple(() =>
        {
            Assert.That(sends.Select(s => s.StatusCode), Is.All.EqualTo(200));
            Assert.That(sends.Select(s => s.Parameters["text"]!.ToString()), Is.EquivalentTo(texts), "each message sent exactly once");
            Assert.That(arrivals[PerMinute - 1] - arrivals[0], Is.GreaterThanOrEqualTo(Latency),
                "the first window's requests waited behind each other's calls (else this test proves nothing)");
            Assert.That(narrowest, Is.GreaterThanOrEqualTo(Window - ClockResolution),
                $"{PerMinute + 1} requests arrived within {narrowest.TotalSeconds:F3} s: more than {PerMinute} in one window at the provider");
        });
    }

    private async Task<Guid> CreateChannelAsync(string token) =>
        (await (await _client.PostJsonAsync("/v1/channels", new
        {
            name = "window " + token[..6],
            channel_type = "telegram",
            rate_limit = PerMinute,
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = _simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

    private async Task<long> CountSentAsync(Guid channel) =>
        (await (await _client.GetAsync($"/v1/messages?filter=channel_id:eq:{channel}&filter=status:eq:sent&limit=1")).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("meta").GetProperty("total").GetInt64();

    private List<TelegramRequest> Sends(string token) =>
        _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).ToList();
}
