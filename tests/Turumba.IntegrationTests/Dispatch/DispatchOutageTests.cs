using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turumba.Contracts;
using Turumba.IntegrationTests.Messaging;
using Turumba.Simulator;
using Turumba.Simulator.Telegram;

namespace Turumba.IntegrationTests.Dispatch;

/// <summary>
/// PostgreSQL and Redis blink while single sends are dispatched: every message still ends sent,
/// exactly once at the provider. Only this fixture's own database has its backends terminated, and
/// only its own redis-server is restarted; the shared services are never touched.
/// </summary>
[TestFixture]
public sealed class DispatchOutageTests
{
    private const int Messages = 300;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private IsolatedServices _services = null!;
    private PrivateRedis _redis = null!;
    private SimulatorHost _simulator = null!;
    private TurumbaApp _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _services = await IsolatedServices.CreateAsync("outage");
        _redis = await PrivateRedis.CreateAsync();
        _simulator = await SimulatorHost.StartAsync();
        var settings = _services.Settings;
        settings["ConnectionStrings:Redis"] = _redis.ConnectionString;
        // Without the queued sweep: the messages must come through on the dispatcher's own retries.
        _app = new TurumbaApp(roles: "api,dispatch:telegram", settings: settings);
        _client = await _app.CreateAccountClientAsync("outage");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
        await _redis.DisposeAsync();
        await _services.DisposeAsync();
    }

    [TearDown]
    public void ResetFaults() => _simulator.Telegram.Faults.Reset();

    [Test]
    public async Task Backends_of_the_database_terminated_again_and_again_during_300_sends_every_message_is_sent_once()
    {
        var (channel, token, commands) = await PrepareAsync("pg");
        using var stop = new CancellationTokenSource();
        var killer = TerminateBackendsUntilAsync(stop.Token);

        await SendAllAsync(commands);
        await Eventually.WaitAsync(() => Task.FromResult(Sends(token).Count >= Messages), Deadline, "every message to reach the provider");
        await stop.CancelAsync();
        var terminated = await killer;
        await Eventually.WaitAsync(async () => (await StatusesAsync(channel)).GetValueOrDefault("sent") == Messages, Deadline,
            "every message to be recorded sent");

        await TestContext.Out.WriteLineAsync($"{terminated} backends terminated; sends from {Sends(token).Min(s => s.ReceivedAt):HH:mm:ss.fff} to {Sends(token).Max(s => s.ReceivedAt):HH:mm:ss.fff}, all recorded by {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        foreach (var line in _app.Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)).Take(40))
        {
            await TestContext.Out.WriteLineAsync(line.Length > 400 ? line[..400] : line);
        }

        await AssertSentOnceAsync(channel, token, commands);
        Assert.That(terminated, Is.GreaterThanOrEqualTo(5), "backends were terminated while the messages were dispatched");
    }

    [Test]
    public async Task Redis_restarted_during_300_sends_every_message_is_sent_once()
    {
        var (channel, token, commands) = await PrepareAsync("redis");

        await SendAllAsync(commands);
        await Eventually.WaitAsync(() => Task.FromResult(Sends(token).Count >= Messages / 10), Deadline, "dispatch to be under way");
        await _redis.StopAsync();
        var sentWhenStopped = Sends(token).Count;
        // The outage itself: Redis stays away this long (a restart's worth), whatever the dispatcher does.
        await Task.Delay(TimeSpan.FromSeconds(5));
        await _redis.StartAsync();
        await Eventually.WaitAsync(async () => (await StatusesAsync(channel)).GetValueOrDefault("sent") == Messages, Deadline,
            "every message to be recorded sent");

        await AssertSentOnceAsync(channel, token, commands);
        Assert.That(sentWhenStopped, Is.LessThan(Messages), "Redis went away while messages were still to send");
    }

    /// <summary>A channel and queued rows, whose commands are sent straight to the queue so the API is not part of the outage.</summary>
    private async Task<(Guid Channel, string Token, List<DispatchMessage> Commands)> PrepareAsync(string name)
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var channel = (await (await _client.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "outage " + name,
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = _simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var (id, account) = (channel.GetProperty("id").GetGuid(), channel.GetProperty("account_id").GetGuid());
        var now = DateTimeOffset.UtcNow;
        var commands = new List<DispatchMessage>();
        // Unpooled: another test's terminations may have broken the pool's connections.
        var database = new NpgsqlConnectionStringBuilder(_services.Postgres) { Pooling = false }.ConnectionString;
        for (var i = 0; i < Messages; i++)
        {
            var message = await MessageRows.InsertAsync(account, "queued", "9090", now, id, body: $"{name} {i}", database: database);
            commands.Add(new DispatchMessage(message, now, account, id, "telegram"));
        }

        // Slow enough that the sends are spread over seconds, through the fault.
        _simulator.Telegram.Faults.Latency = TimeSpan.FromMilliseconds(300);
        return (id, token, commands);
    }

    private async Task SendAllAsync(List<DispatchMessage> commands)
    {
        var endpoint = await _app.Services.GetRequiredService<IBus>().GetSendEndpoint(DispatchQueues.AddressFor("telegram"));
        await endpoint.SendBatch(commands);
    }

    private async Task AssertSentOnceAsync(Guid channel, string token, List<DispatchMessage> commands)
    {
        var statuses = await StatusesAsync(channel);
        var texts = Sends(token).Select(s => s.Parameters["text"]!.ToString()).ToList();
        var prefix = texts[0].Split(' ')[0];
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.EquivalentTo(new Dictionary<string, long> { ["sent"] = commands.Count }), "every message sent, none queued, none failed");
            Assert.That(texts, Is.EquivalentTo(Enumerable.Range(0, commands.Count).Select(i => $"{prefix} {i}")), "each exactly once at the provider");
        });
    }

    /// <summary>Terminates every backend of this fixture's database, every 250 ms, from a connection to another database; returns how many.</summary>
    private async Task<int> TerminateBackendsUntilAsync(CancellationToken stop)
    {
        var database = new NpgsqlConnectionStringBuilder(_services.Postgres).Database!;
        await using var admin = new NpgsqlConnection(TestServices.AdminPostgres);
        await admin.OpenAsync(CancellationToken.None);
        await using var terminate = new NpgsqlCommand(
            "select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()) t", admin);
        terminate.Parameters.Add(new NpgsqlParameter { Value = database });
        var terminated = 0;
        while (!stop.IsCancellationRequested)
        {
            terminated += (int)(long)(await terminate.ExecuteScalarAsync(CancellationToken.None))!;
            try
            {
                // The fault's rhythm, not a wait for a condition.
                await Task.Delay(TimeSpan.FromMilliseconds(250), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return terminated;
    }

    private async Task<Dictionary<string, long>> StatusesAsync(Guid channel)
    {
        // Unpooled: the pool's connections may be ones the terminations broke.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_services.Postgres) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select status, count(*) from messaging.messages where channel_id = $1 group by status", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = channel });
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private List<TelegramRequest> Sends(string token) =>
        _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).ToList();
}
