using Npgsql;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Scheduling;

/// <summary>Several scheduling instances on one database: each due run is made by exactly one of them.</summary>
[TestFixture]
public sealed class SchedulingInstancesTests
{
    private const int Schedules = 300;
    private IsolatedServices _services = null!;
    private SimulatorHost _simulator = null!;
    private TurumbaApp _first = null!;
    private TurumbaApp _second = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _services = await IsolatedServices.CreateAsync("scheduling2");
        _simulator = await SimulatorHost.StartAsync();
        var settings = _services.Settings;
        settings["Turumba:Scheduling:PollInterval"] = "00:00:00.050";
        settings["Turumba:Scheduling:BatchSize"] = "25";
        _first = new TurumbaApp(settings: settings);
        _second = new TurumbaApp("scheduling", settings);
        _http = await _first.CreateAccountClientAsync("scheduling instances");
        _ = _second.Services;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Test]
    public async Task Two_instances_and_300_schedules_due_at_once_make_300_sends_none_twice()
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var schedules = new ScheduleClient(_http, TimeProvider.System);
        var channel = await schedules.CreateChannelAsync(_simulator.BaseUrl.ToString(), token);
        var later = DateTimeOffset.UtcNow.AddHours(2);
        foreach (var chunk in Enumerable.Range(0, Schedules).Chunk(20))
        {
            await Task.WhenAll(chunk.Select(i => schedules.CreateAsync(new
            {
                channel_id = channel, send_type = "single", delivery_address = $"{80_000 + i}", message_body = $"run {i}",
                scheduled_at = later, timezone = "Africa/Addis_Ababa",
            })));
        }

        // All due in the same instant, for both triggers at once.
        await ExecuteAsync("update scheduling.scheduled_messages set scheduled_at = now(), next_trigger_at = now()");
        await Eventually.WaitAsync(async () => await ScalarAsync("select count(*) from scheduling.scheduled_messages where status = 'completed'") == Schedules,
            ScheduleClient.Deadline, "every schedule to fire", Diagnostics);
        await Eventually.WaitAsync(async () => await ScalarAsync("select count(*) from messaging.messages where status = 'sent'") == Schedules,
            ScheduleClient.Deadline, "every message to be sent", Diagnostics);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await ScalarAsync("select count(*) from messaging.messages"), Is.EqualTo(Schedules));
            Assert.That(await ScalarAsync("select count(distinct metadata->>'scheduled_message_id') from messaging.messages"), Is.EqualTo(Schedules));
            Assert.That(await ScalarAsync("select count(*) from scheduling.schedule_runs"), Is.EqualTo(Schedules));
            Assert.That(await ScalarAsync("select count(*) from scheduling.scheduled_messages where trigger_count <> 1"), Is.Zero);
            Assert.That(_simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token), Is.EqualTo(Schedules));
        });
    }

    private string Diagnostics() => string.Join(Environment.NewLine,
        _first.Logs.Lines.Concat(_second.Logs.Lines).Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("Schedul", StringComparison.Ordinal)).TakeLast(30));

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_services.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_services.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
