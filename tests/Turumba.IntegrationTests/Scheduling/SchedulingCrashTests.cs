using Npgsql;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Scheduling;

/// <summary>The trigger runs in a host process of its own (role scheduling), killed in the middle of its batches and started again.</summary>
[TestFixture]
public sealed class SchedulingCrashTests
{
    private const int Schedules = 1_000;

    [Test]
    public async Task A_trigger_killed_mid_batch_and_restarted_makes_each_due_run_exactly_once()
    {
        await using var services = await IsolatedServices.CreateAsync("schedcrash");
        await using var simulator = await SimulatorHost.StartAsync();
        await using var app = new TurumbaApp("api,outbox,dispatch:telegram,status", services.Settings);
        using var http = await app.CreateAccountClientAsync("schedcrash");
        var schedules = new ScheduleClient(http, TimeProvider.System);
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var channel = await schedules.CreateChannelAsync(simulator.BaseUrl.ToString(), token);
        await schedules.CreateAsync(new
        {
            channel_id = channel, send_type = "single", delivery_address = "90000", message_body = "run",
            scheduled_at = DateTimeOffset.UtcNow.AddHours(2), timezone = "Europe/London",
        });
        // 999 copies of it, and all of them due now.
        await ExecuteAsync(services.Postgres, $"""
            insert into scheduling.scheduled_messages
              select gen_random_uuid(), channel_id, template_id, message_body || ' ' || i, name, status, send_type, contact_id,
                     (90000 + i)::text, contact_group_ids, exclude_contact_ids, custom_values, scheduled_at, timezone, is_recurring,
                     recurrence_rule, recurrence_end_at, next_trigger_at, last_triggered_at, trigger_count, message_id, group_message_id,
                     last_error, created_at, updated_at, account_id
                from scheduling.scheduled_messages cross join generate_series(1, {Schedules - 1}) i;
            update scheduling.scheduled_messages set scheduled_at = now(), next_trigger_at = now();
            """);
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = services.Postgres,
            ["ConnectionStrings__RabbitMq"] = services.RabbitMq,
            ["Turumba__Scheduling__BatchSize"] = "10",
            ["Turumba__Scheduling__PollInterval"] = "00:00:00.050",
        };

        await using (var first = await HostProcess.StartReadyAsync("scheduling", environment))
        {
            await Eventually.WaitAsync(async () => await ScalarAsync(services.Postgres, "select count(*) from scheduling.schedule_runs") >= 100,
                ScheduleClient.Deadline, "the first trigger to be under way", () => first.Output);
            first.Kill();
        }

        var atKill = await ScalarAsync(services.Postgres, "select count(*) from scheduling.schedule_runs");
        await using var second = await HostProcess.StartReadyAsync("scheduling", environment);
        await Eventually.WaitAsync(async () => await ScalarAsync(services.Postgres, "select count(*) from scheduling.scheduled_messages where status = 'completed'") == Schedules,
            ScheduleClient.Deadline, "every schedule to fire", () => second.Output);
        await Eventually.WaitAsync(async () => await ScalarAsync(services.Postgres, "select count(*) from messaging.messages where status = 'sent'") == Schedules,
            ScheduleClient.Deadline, "every message to be sent");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(atKill, Is.LessThan(Schedules), "killed before it had finished");
            Assert.That(await ScalarAsync(services.Postgres, "select count(*) from messaging.messages"), Is.EqualTo(Schedules));
            Assert.That(await ScalarAsync(services.Postgres, "select count(distinct metadata->>'scheduled_message_id') from messaging.messages"), Is.EqualTo(Schedules));
            Assert.That(await ScalarAsync(services.Postgres, "select count(*) from scheduling.schedule_runs"), Is.EqualTo(Schedules));
            Assert.That(simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token), Is.EqualTo(Schedules));
        });
    }

    private static async Task ExecuteAsync(string postgres, string sql)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string postgres, string sql)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
