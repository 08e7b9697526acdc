using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Groups;

/// <summary>Large group sends on small fan-out pages (so there is time to act mid-way): cancel, partial failure, counters, saga.</summary>
[TestFixture]
public sealed class GroupSendLifecycleTests
{
    private IsolatedServices _services = null!;
    private SimulatorHost _simulator = null!;
    private TurumbaApp _app = null!;
    private GroupSendClient _groups = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _services = await IsolatedServices.CreateAsync("grouplife");
        _simulator = await SimulatorHost.StartAsync();
        var settings = _services.Settings;
        settings["Turumba:Groups:FanOutPageSize"] = "100";
        settings["Turumba:Groups:RestartQueuedAfter"] = "00:00:02";
        _app = new TurumbaApp(settings: settings);
        _groups = new GroupSendClient(await _app.CreateAccountClientAsync("grouplife"), _services.Postgres, _simulator);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _groups.Http.Dispose();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    [TearDown]
    public void ResetFaults()
    {
        _simulator.Telegram.Faults.Latency = TimeSpan.Zero;
        _simulator.Telegram.Faults.FailureRate = 0;
    }

    [Test]
    public async Task Cancel_during_a_fan_out_of_20000_stops_it_and_nothing_more_is_sent()
    {
        var (channel, token) = await _groups.CreateChannelAsync();
        var group = await _groups.CreateGroupOfAsync(20_000);
        _simulator.Telegram.Faults.Latency = TimeSpan.FromMilliseconds(20);
        var id = await _groups.QueueAsync(channel, group);
        await Eventually.WaitAsync(async () => (await _groups.GetAsync(id)).GetProperty("total_recipients").GetInt32() >= 1_000, GroupSendClient.Deadline,
            "the fan-out to be under way");

        var cancelled = (await (await _groups.Http.PatchJsonAsync($"/v1/group-messages/{id}", new { status = "cancelled" })).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        await Eventually.WaitAsync(async () => (await _groups.CountByBucketAsync(id))["pending"] == 0, GroupSendClient.Deadline, "no message of the send left to dispatch");
        var sendsAfterCancel = _groups.SendsFor(token);
        var saga = await WaitForSagaAsync(id, "cancelled");
        var counts = await _groups.CountByBucketAsync(id);
        var inserted = await _groups.ScalarAsync("select count(*) from messaging.messages where group_message_id = $1", id);
        var row = await WaitForCountersAsync(id, counts);

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(row.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(inserted, Is.LessThan(20_000), "the fan-out stopped before the end");
            Assert.That(row.GetProperty("total_recipients").GetInt32(), Is.EqualTo(inserted), "every message the fan-out committed is counted, none after the cancel");
            Assert.That(counts["cancelled"], Is.GreaterThan(0), "queued messages were cancelled, not sent");
            Assert.That(sendsAfterCancel, Is.EqualTo(counts["sent"]), "every send is a sent message, and no more");
            Assert.That(saga.GetProperty("state").GetString(), Is.EqualTo("cancelled"));
        });
    }

    [Test]
    public async Task Counters_redis_lost_after_the_send_finished_are_counted_from_the_table_when_a_late_receipt_moves_them()
    {
        var (channel, _) = await _groups.CreateChannelAsync();
        var id = await _groups.QueueAsync(channel, await _groups.CreateGroupOfAsync(300));
        await _groups.WaitForStatusAsync(id, "completed");
        await WaitForCountersAsync(id, await _groups.CountByBucketAsync(id));

        // Redis restarts empty; then a late receipt moves one message from sent to delivered, as the status consumer would.
        using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(TestServices.Redis))
        {
            Assert.That(await redis.GetDatabase().KeyDeleteAsync($"turumba:counters:group:{id}"), Is.True, "the send had live counters");
        }

        await using var connection = new Npgsql.NpgsqlConnection(_services.Postgres);
        await connection.OpenAsync();
        await using var update = new Npgsql.NpgsqlCommand(
            "update messaging.messages set status = 'delivered', delivered_at = now() where id = (select id from messaging.messages where group_message_id = $1 limit 1) returning id, created_at, account_id",
            connection);
        update.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        await using (var moved = await update.ExecuteReaderAsync())
        {
            await moved.ReadAsync();
            await _app.Services.GetRequiredService<MassTransit.IBus>().Publish(new Contracts.MessageStatusesChanged([new Contracts.MessageStatusChange(
                moved.GetGuid(0), moved.GetFieldValue<DateTimeOffset>(1), moved.GetGuid(2), channel, id, "delivered", null, null, DateTimeOffset.UtcNow, "sent")]));
        }

        System.Text.Json.JsonElement row = default;
        await Eventually.WaitAsync(async () => (row = await _groups.GetAsync(id)).GetProperty("delivered_count").GetInt32() == 1, GroupSendClient.Deadline,
            "the late receipt to reach the counters");
        Assert.Multiple(() =>
        {
            Assert.That(row.GetProperty("sent_count").GetInt32(), Is.EqualTo(299), "the table's figure, not the recreated counter's -1");
            Assert.That(row.GetProperty("pending_count").GetInt32(), Is.Zero);
        });
    }

    [Test]
    public async Task Send_with_failures_ends_partially_failed_with_counters_matching_the_table_and_an_inspectable_saga()
    {
        var (channel, token) = await _groups.CreateChannelAsync(retryCount: 0);
        var group = await _groups.CreateGroupOfAsync(2_000);
        _simulator.Telegram.Faults.FailureRate = 0.2;
        var id = await _groups.QueueAsync(channel, group);

        var done = await _groups.WaitForStatusAsync(id, "partially_failed");
        var counts = await _groups.CountByBucketAsync(id);
        var saga = await _groups.GetSagaAsync(id);
        var events = saga.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("event").GetString()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("total_recipients").GetInt32(), Is.EqualTo(2_000));
            Assert.That(done.GetProperty("sent_count").GetInt32(), Is.EqualTo(counts["sent"]));
            Assert.That(done.GetProperty("failed_count").GetInt32(), Is.EqualTo(counts["failed"]));
            Assert.That(done.GetProperty("pending_count").GetInt32(), Is.Zero);
            Assert.That(counts["sent"] + counts["failed"], Is.EqualTo(2_000));
            Assert.That(counts["failed"], Is.InRange(1, 1_999));
            Assert.That(_groups.SendsFor(token), Is.EqualTo(2_000), "one provider call per recipient, none retried (retry_count 0)");
            Assert.That(saga.GetProperty("state").GetString(), Is.EqualTo("partially_failed"));
            Assert.That(saga.GetProperty("counters").GetProperty("total_recipients").GetInt32(), Is.EqualTo(2_000));
            Assert.That(saga.GetProperty("counters").GetProperty("failed").GetInt32(), Is.EqualTo(counts["failed"]));
            Assert.That(saga.GetProperty("fan_out").GetProperty("pages").GetInt32(), Is.InRange(20, 21), "2,000 contacts on pages of 100, and maybe an empty last page");
            Assert.That(saga.GetProperty("fan_out").GetProperty("cursor").GetGuid(), Is.Not.EqualTo(Guid.Empty));
            Assert.That(saga.GetProperty("completed_at").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.String));
            Assert.That(events[0], Is.EqualTo("finished"));
        });
    }

    [Test]
    public async Task Send_whose_start_event_was_lost_is_started_again()
    {
        var (channel, token) = await _groups.CreateChannelAsync();
        var group = await _groups.CreateGroupOfAsync(3);
        var id = (await (await _groups.Http.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, message_body = "Hi {FIRST_NAME}" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        // Queued without its GroupSendQueued, as when it was published before any saga queue existed.
        await _groups.ScalarAsync("update groups.group_messages set status = 'queued' where id = $1 returning 1", id);
        var done = await _groups.WaitForStatusAsync(id, "completed");

        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("sent_count").GetInt32(), Is.EqualTo(3));
            Assert.That(_groups.SendsFor(token), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task A_draft_has_no_saga_and_another_accounts_send_is_not_found()
    {
        var (channel, _) = await _groups.CreateChannelAsync();
        var group = await _groups.CreateGroupOfAsync(1);
        var draft = (await (await _groups.Http.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, message_body = "x" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        using var other = await _app.CreateAccountClientAsync("someone else");

        var none = await (await _groups.Http.GetAsync($"/v1/group-messages/{draft}/saga")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        await (await other.GetAsync($"/v1/group-messages/{draft}/saga")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");

        Assert.That(none.GetProperty("message").GetString(), Does.Contain("never queued"));
    }

    private async Task<System.Text.Json.JsonElement> WaitForSagaAsync(Guid id, string state)
    {
        System.Text.Json.JsonElement saga = default;
        await Eventually.WaitAsync(async () => (saga = await _groups.GetSagaAsync(id)).GetProperty("state").GetString() == state, GroupSendClient.Deadline,
            $"the saga of {id} to be {state}");
        return saga;
    }

    /// <summary>The row's counters, once the progress service has caught up with the table.</summary>
    private async Task<System.Text.Json.JsonElement> WaitForCountersAsync(Guid id, Dictionary<string, long> counts)
    {
        System.Text.Json.JsonElement row = default;
        await Eventually.WaitAsync(async () =>
        {
            row = await _groups.GetAsync(id);
            return row.GetProperty("sent_count").GetInt32() == counts["sent"] && row.GetProperty("pending_count").GetInt32() == 0;
        }, GroupSendClient.Deadline, "the counters to match the table");
        return row;
    }
}
