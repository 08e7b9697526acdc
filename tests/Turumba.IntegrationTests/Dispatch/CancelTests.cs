using System.Collections.Concurrent;
using System.Net;
using StackExchange.Redis;
using Turumba.Channels;
using Turumba.IntegrationTests.Groups;
using Turumba.Platform.Redis.RateLimiting;
using Turumba.Simulator;
using Turumba.Simulator.Telegram;

namespace Turumba.IntegrationTests.Dispatch;

/// <summary>A cancel and a dispatch race for a message: exactly one wins, and the loser costs nothing (no send, no rate-limit slot).</summary>
[TestFixture]
public sealed class CancelTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private IsolatedServices _services = null!;
    private SimulatorHost _simulator = null!;
    private TurumbaApp _app = null!;
    private HttpClient _client = null!;
    private ConnectionMultiplexer _redis = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _services = await IsolatedServices.CreateAsync("cancel");
        _simulator = await SimulatorHost.StartAsync();
        var settings = _services.Settings;
        settings["Turumba:Groups:FanOutPageSize"] = "100";
        _app = new TurumbaApp(settings: settings);
        _client = await _app.CreateAccountClientAsync("cancel");
        _redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _redis.DisposeAsync();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Test]
    public async Task Cancel_racing_dispatch_150_times_never_answers_cancelled_for_a_message_the_provider_got()
    {
        var (channel, token) = await CreateChannelAsync(perMinute: null);
        var answers = new ConcurrentDictionary<Guid, (string Text, HttpStatusCode Code, string? Status)>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 150), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var text = $"race {i}";
            var id = (await (await _client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "4040", message_body = text }))
                .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
            using var response = await _client.PatchJsonAsync($"/v1/messages/{id}", new { status = "cancelled" });
            var body = await response.ReadJsonAsync();
            var status = response.StatusCode == HttpStatusCode.OK
                ? body.GetProperty("data").GetProperty("status").GetString()
                : body.GetProperty("details").GetProperty("status").GetString();
            answers[id] = (text, response.StatusCode, status);
        });
        var cancelled = answers.Where(a => a.Value.Code == HttpStatusCode.OK).ToList();
        var refused = answers.Where(a => a.Value.Code != HttpStatusCode.OK).ToList();
        // Every command consumed: a sent message is sent, a cancelled one skipped by its command.
        await Eventually.WaitAsync(async () => await CountAsync(channel, "sent") == refused.Count, Deadline, "every message not cancelled to be sent");
        await Eventually.WaitAsync(() => Task.FromResult(cancelled.All(c => SkippedCommand(c.Key))), Deadline, "every cancelled message's command to be consumed");

        var sent = Sends(token).Select(Text).ToList();
        var statuses = await StatusesAsync(channel);
        await TestContext.Out.WriteLineAsync($"{cancelled.Count} cancelled, {refused.Count} refused (already {string.Join(", ", refused.Select(r => r.Value.Status).Distinct())})");
        Assert.Multiple(() =>
        {
            Assert.That(refused.Select(r => r.Value.Code), Is.All.EqualTo(HttpStatusCode.Conflict));
            Assert.That(refused.Select(r => r.Value.Status), Is.All.AnyOf("sending", "sent"), "a 409 says the status that made the cancel too late");
            Assert.That(cancelled.Select(c => c.Value.Status), Is.All.EqualTo("cancelled"));
            Assert.That(sent.Intersect(cancelled.Select(c => c.Value.Text)), Is.Empty, "a message answered 200 cancelled was sent");
            Assert.That(sent, Is.EquivalentTo(refused.Select(r => r.Value.Text)), "each message not cancelled sent exactly once");
            Assert.That(cancelled.Select(c => statuses[c.Key]), Is.All.EqualTo("cancelled"));
            Assert.That(refused.Select(r => statuses[r.Key]), Is.All.EqualTo("sent"));
        });
    }

    [Test]
    public async Task Cancelled_group_send_on_a_60_a_minute_channel_takes_no_further_slots_and_its_commands_end_at_once()
    {
        var (channel, token) = await CreateChannelAsync(perMinute: 60);
        var groups = new GroupSendClient(_client, _services.Postgres, _simulator);
        var group = await groups.CreateGroupOfAsync(300);
        var window = (RedisKey)(RedisRateLimiter.KeyPrefix + ChannelRateLimits.ChannelKey(channel));
        var id = await groups.QueueAsync(channel, group);
        await Eventually.WaitAsync(async () => (await groups.CountByBucketAsync(id))["sent"] == 60 && (await groups.CountByBucketAsync(id))["pending"] == 240,
            Deadline, "the first minute's 60 to be sent and the rest to wait for the window");
        var skippedBefore = SkippedCount();

        await (await _client.PatchJsonAsync($"/v1/group-messages/{id}", new { status = "cancelled" })).ExpectAsync(HttpStatusCode.OK);
        var slotsAtCancel = await SlotsAsync(window);
        var counts = await groups.CountByBucketAsync(id);
        // The held batch commands (fan-out pages of 100, each split into commands) find their messages cancelled while waiting for the window.
        await Eventually.WaitAsync(() => Task.FromResult(SkippedCount() - skippedBefore == counts["cancelled"]), TimeSpan.FromSeconds(30),
            $"the commands of the {counts["cancelled"]} cancelled messages to end, well before the window frees (skipped {SkippedCount() - skippedBefore})");
        var slotsAfter = await SlotsAsync(window);

        Assert.Multiple(() =>
        {
            Assert.That(counts["cancelled"], Is.EqualTo(240));
            Assert.That(slotsAtCancel, Has.Count.EqualTo(60), "the window held the 60 sends");
            Assert.That(slotsAfter, Is.SubsetOf(slotsAtCancel), "no slot was taken after the cancel");
            Assert.That(Sends(token), Has.Count.EqualTo(60));
        });
    }

    private async Task<List<string>> SlotsAsync(RedisKey window) =>
        (await _redis.GetDatabase().SortedSetRangeByRankAsync(window)).Select(m => m.ToString()).ToList();

    // Counts what dispatch logged as skipped for being no longer queued (cancelled).
    private long SkippedCount() => _app.Logs.Lines
        .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"Skipped (\d+) message\(s\) of dispatch command .*: they are no longer queued"))
        .Where(m => m.Success).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    private bool SkippedCommand(Guid id) =>
        _app.Logs.Lines.Any(l => l.Contains($"of dispatch command {id}: they are no longer queued", StringComparison.Ordinal));

    private async Task<(Guid Channel, string Token)> CreateChannelAsync(int? perMinute)
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var id = (await (await _client.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "cancel " + token[..6],
            channel_type = "telegram",
            rate_limit = perMinute,
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = _simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        return (id, token);
    }

    private async Task<long> CountAsync(Guid channel, string status) =>
        (await (await _client.GetAsync($"/v1/messages?filter=channel_id:eq:{channel}&filter=status:eq:{status}&limit=1")).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("meta").GetProperty("total").GetInt64();

    private async Task<Dictionary<Guid, string>> StatusesAsync(Guid channel)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_services.Postgres);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select id, status from messaging.messages where channel_id = $1", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = channel });
        var statuses = new Dictionary<Guid, string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statuses[reader.GetGuid(0)] = reader.GetString(1);
        }

        return statuses;
    }

    private List<TelegramRequest> Sends(string token) =>
        _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token && r.StatusCode == 200).ToList();

    private static string Text(TelegramRequest send) => send.Parameters["text"]!.ToString();
}
