using System.Net;
using System.Text.Json;
using Npgsql;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Scheduling;

/// <summary>
/// The trigger sleeps until the nearest due time and is woken by NOTIFY when a schedule changes: with a
/// 30 s fallback poll, a schedule created 2 s ahead is prepared before its time (its message written
/// <c>scheduled</c>, within the lookahead) and sent within a second of it, also after its listening connection was killed.
/// </summary>
[TestFixture]
public sealed class ScheduleWakeUpTests
{
    private static readonly TimeSpan OnTime = TimeSpan.FromSeconds(1);

    private IsolatedServices _services = null!;
    private SimulatorHost _simulator = null!;
    private TurumbaApp _app = null!;
    private HttpClient _http = null!;
    private ScheduleClient _schedules = null!;
    private Guid _channel;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _services = await IsolatedServices.CreateAsync("schedwake");
        _simulator = await SimulatorHost.StartAsync();
        var settings = _services.Settings;
        settings["Turumba:Scheduling:PollInterval"] = "00:00:30";
        _app = new TurumbaApp(settings: settings);
        _http = await _app.CreateAccountClientAsync("schedwake");
        _schedules = new ScheduleClient(_http, TimeProvider.System);
        _channel = await _schedules.CreateChannelAsync(_simulator.BaseUrl.ToString());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Test]
    public async Task A_schedule_created_two_seconds_ahead_fires_within_a_second_of_its_time()
    {
        await ListenerPidAsync(except: null);
        // Something far ahead first, so the trigger is asleep on a long wait when the near one arrives.
        await CreateAsync(DateTimeOffset.UtcNow.AddHours(1));

        var (at, created, sent) = await FireTwoSecondsAheadAsync();

        Assert.Multiple(() =>
        {
            Assert.That(created, Is.LessThan(at), "prepared ahead: the trigger woke on the notification, not on its 30 s poll");
            Assert.That(sent - at, Is.InRange(TimeSpan.Zero, OnTime));
        });
    }

    [Test]
    public async Task After_its_listening_connection_is_killed_the_trigger_listens_again_and_fires_on_time()
    {
        var before = await ListenerPidAsync(except: null);
        await using (var admin = new NpgsqlConnection(_services.Postgres))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("select pg_terminate_backend($1)", admin) { Parameters = { new() { Value = before } } };
            await kill.ExecuteScalarAsync();
        }

        var after = await ListenerPidAsync(except: before);
        var (at, created, sent) = await FireTwoSecondsAheadAsync();

        Assert.Multiple(() =>
        {
            Assert.That(after, Is.Not.EqualTo(before));
            Assert.That(created, Is.LessThan(at), "prepared ahead: the trigger woke on the notification, not on its 30 s poll");
            Assert.That(sent - at, Is.InRange(TimeSpan.Zero, OnTime));
        });
    }

    private async Task<(DateTimeOffset At, DateTimeOffset Created, DateTimeOffset Sent)> FireTwoSecondsAheadAsync()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(2);
        at = at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMillisecond));
        var id = await CreateAsync(at);
        var fired = await _schedules.WaitForAsync(id, s => s.GetProperty("trigger_count").GetInt32() == 1, "fired");
        var message = await _schedules.WaitForMessageAsync(fired.GetProperty("message_id").GetGuid(), "sent");
        return (at, message.GetProperty("created_at").GetDateTimeOffset(), message.GetProperty("sent_at").GetDateTimeOffset());
    }

    private async Task<Guid> CreateAsync(DateTimeOffset at) =>
        (await _schedules.CreateAsync(new
        {
            channel_id = _channel, send_type = "single", delivery_address = "8801", message_body = "wake", scheduled_at = at, timezone = "Etc/UTC",
        })).GetProperty("id").GetGuid();

    /// <summary>Waits for the listener's connection (other than <paramref name="except"/>) to be listening in the test database.</summary>
    private async Task<int> ListenerPidAsync(int? except)
    {
        var pid = 0;
        await using var connection = new NpgsqlConnection(_services.Postgres);
        await connection.OpenAsync();
        await Eventually.WaitAsync(async () =>
        {
            await using var find = new NpgsqlCommand(
                "select pid from pg_stat_activity where datname = current_database() and application_name = 'turumba schedule listener' and pid <> $1",
                connection) { Parameters = { new() { Value = except ?? 0 } } };
            pid = await find.ExecuteScalarAsync() is int found ? found : 0;
            return pid != 0;
        }, ScheduleClient.Deadline, "the schedule listener to connect");
        return pid;
    }
}
