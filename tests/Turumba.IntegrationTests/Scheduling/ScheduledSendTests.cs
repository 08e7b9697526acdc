using System.Net;
using System.Text.Json;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Scheduling;

/// <summary>Schedules firing end to end: trigger → message or group send → dispatch → simulator, on a clock the tests can move.</summary>
[TestFixture]
public sealed class ScheduledSendTests
{
    private readonly ShiftedClock _clock = new();
    private IsolatedServices _services = null!;
    private SimulatorHost _simulator = null!;
    private TurumbaApp _app = null!;
    private HttpClient _http = null!;
    private ScheduleClient _schedules = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _services = await IsolatedServices.CreateAsync("scheduling");
        _simulator = await SimulatorHost.StartAsync();
        var settings = _services.Settings;
        settings["Turumba:Scheduling:PollInterval"] = "00:00:00.100";
        _app = new TurumbaApp(settings: settings, clock: _clock);
        _http = await _app.CreateAccountClientAsync("scheduling");
        _schedules = new ScheduleClient(_http, _clock);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    private async Task<(Guid Channel, string Token)> ChannelAsync()
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        return (await _schedules.CreateChannelAsync(_simulator.BaseUrl.ToString(), token), token);
    }

    private int SendsFor(string token) => _simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token);

    private DateTimeOffset Soon(double seconds = 1.5)
    {
        var at = _clock.GetUtcNow().AddSeconds(seconds);
        return at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private Task<JsonElement> CreateSingleAsync(Guid channel, DateTimeOffset at, string? rule = null, string body = "Reminder") =>
        _schedules.CreateAsync(new
        {
            channel_id = channel, send_type = "single", delivery_address = "5551", message_body = body, scheduled_at = at,
            timezone = "Africa/Addis_Ababa", is_recurring = rule is not null, recurrence_rule = rule,
        });

    [Test]
    public async Task A_one_time_single_schedule_is_sent_once_at_its_time()
    {
        var (channel, token) = await ChannelAsync();
        var at = Soon(2);
        var id = (await CreateSingleAsync(channel, at, body: "Your visit is at 10")).GetProperty("id").GetGuid();

        var done = await _schedules.WaitForAsync(id, s => s.GetProperty("status").GetString() == "completed", "completed");
        var message = await _schedules.WaitForMessageAsync(done.GetProperty("message_id").GetGuid(), "sent");

        Assert.Multiple(() =>
        {
            Assert.That(SendsFor(token), Is.EqualTo(1));
            Assert.That(done.GetProperty("trigger_count").GetInt32(), Is.EqualTo(1));
            Assert.That(done.GetProperty("next_trigger_at").ValueKind, Is.EqualTo(JsonValueKind.Null));
            var sent = message.GetProperty("sent_at").GetDateTimeOffset();
            Assert.That(sent, Is.GreaterThanOrEqualTo(at), "not before its time");
            Assert.That(sent - at, Is.LessThan(TimeSpan.FromSeconds(3)), "about on time");
            Assert.That(message.GetProperty("scheduled_at").GetDateTimeOffset(), Is.EqualTo(at), "prepared ahead for its time");
            Assert.That(message.GetProperty("message_body").GetString(), Is.EqualTo("Your visit is at 10"));
            Assert.That(message.GetProperty("metadata").GetProperty("scheduled_message_id").GetString(), Is.EqualTo(id.ToString()));
        });
    }

    [Test]
    public async Task A_group_schedule_starts_a_group_send_that_completes()
    {
        var (channel, token) = await ChannelAsync();
        var contacts = new List<Guid>();
        foreach (var (name, chat) in new[] { ("Abebe", "71001"), ("Sara", "71002"), ("Yonas", "71003") })
        {
            contacts.Add((await (await _http.PostJsonAsync("/v1/contacts", new { first_name = name, addresses = new Dictionary<string, string> { ["telegram"] = chat } }))
                .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid());
        }

        var group = (await (await _http.PostJsonAsync("/v1/contact-groups", new { name = "sched " + Guid.NewGuid().ToString("N")[..6] })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        await (await _http.PostJsonAsync($"/v1/contact-groups/{group}/members", new { contact_ids = contacts })).ExpectAsync(HttpStatusCode.OK);

        var id = (await _schedules.CreateAsync(new
        {
            channel_id = channel, send_type = "group", contact_group_ids = new[] { group }, exclude_contact_ids = new[] { contacts[2] },
            message_body = "Selam {FIRST_NAME}", name = "weekly news", scheduled_at = Soon(), timezone = "Europe/Berlin",
        })).GetProperty("id").GetGuid();

        var done = await _schedules.WaitForAsync(id, s => s.GetProperty("status").GetString() == "completed", "completed");
        var groupMessage = done.GetProperty("group_message_id").GetGuid();
        JsonElement send = default;
        await Eventually.WaitAsync(async () => (send = (await (await _http.GetAsync($"/v1/group-messages/{groupMessage}")).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("data")).GetProperty("status").GetString() == "completed", ScheduleClient.Deadline, "the group send to complete");
        var texts = _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).Select(r => r.Parameters["text"]!.ToString()).Order();

        Assert.Multiple(() =>
        {
            Assert.That(texts, Is.EqualTo(new[] { "Selam Abebe", "Selam Sara" }));
            Assert.That(send.GetProperty("sent_count").GetInt32(), Is.EqualTo(2));
            Assert.That(send.GetProperty("name").GetString(), Is.EqualTo("weekly news"));
        });
    }

    [Test]
    public async Task A_daily_schedule_fires_again_the_next_day_and_only_once_a_day()
    {
        var (channel, token) = await ChannelAsync();
        var at = Soon();
        var id = (await CreateSingleAsync(channel, at, rule: "daily")).GetProperty("id").GetGuid();

        var first = await _schedules.WaitForAsync(id, s => s.GetProperty("trigger_count").GetInt32() == 1, "the first run");
        _clock.Advance(TimeSpan.FromDays(1));
        var second = await _schedules.WaitForAsync(id, s => s.GetProperty("trigger_count").GetInt32() == 2, "the second run");
        await _schedules.WaitForMessageAsync(second.GetProperty("message_id").GetGuid(), "sent");
        await _schedules.PatchAsync(id, new { status = "cancelled" });

        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("status").GetString(), Is.EqualTo("pending"));
            Assert.That(first.GetProperty("next_trigger_at").GetDateTimeOffset(), Is.EqualTo(at.AddDays(1)));
            Assert.That(second.GetProperty("next_trigger_at").GetDateTimeOffset(), Is.EqualTo(at.AddDays(2)));
            Assert.That(second.GetProperty("message_id").GetGuid(), Is.Not.EqualTo(first.GetProperty("message_id").GetGuid()));
            Assert.That(SendsFor(token), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_paused_schedule_does_not_fire_and_resumes_from_now()
    {
        var (channel, token) = await ChannelAsync();
        var at = Soon();
        var id = (await CreateSingleAsync(channel, at, rule: "daily")).GetProperty("id").GetGuid();
        await _schedules.PatchAsync(id, new { status = "paused" });
        await PassAsync(at);

        var paused = await _schedules.GetAsync(id);
        var resumed = await _schedules.PatchAsync(id, new { status = "pending" });
        _clock.Advance(TimeSpan.FromDays(1));
        var fired = await _schedules.WaitForAsync(id, s => s.GetProperty("trigger_count").GetInt32() == 1, "the run after resuming");
        await _schedules.PatchAsync(id, new { status = "cancelled" });

        Assert.Multiple(() =>
        {
            Assert.That(paused.GetProperty("status").GetString(), Is.EqualTo("paused"));
            Assert.That(paused.GetProperty("trigger_count").GetInt32(), Is.Zero, "nothing fires while paused");
            Assert.That(resumed.GetProperty("next_trigger_at").GetDateTimeOffset(), Is.EqualTo(at.AddDays(1)), "the run missed while paused is skipped");
            Assert.That(fired.GetProperty("last_triggered_at").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(at.AddDays(1)));
        });
        await _schedules.WaitForMessageAsync(fired.GetProperty("message_id").GetGuid(), "sent");
        Assert.That(SendsFor(token), Is.EqualTo(1));
    }

    [Test]
    public async Task A_cancelled_schedule_never_fires()
    {
        var (channel, token) = await ChannelAsync();
        var at = Soon();
        var id = (await CreateSingleAsync(channel, at)).GetProperty("id").GetGuid();
        await _schedules.PatchAsync(id, new { status = "cancelled" });
        await PassAsync(at);

        var schedule = await _schedules.GetAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(schedule.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(schedule.GetProperty("trigger_count").GetInt32(), Is.Zero);
            Assert.That(SendsFor(token), Is.Zero);
        });
    }

    [Test]
    public async Task An_edit_before_the_trigger_changes_what_and_when_it_sends()
    {
        var (channel, token) = await ChannelAsync();
        var id = (await CreateSingleAsync(channel, _clock.GetUtcNow().AddHours(3), body: "old text")).GetProperty("id").GetGuid();
        var at = Soon();
        var edited = await _schedules.PatchAsync(id, new { scheduled_at = at, message_body = "new text" });

        var done = await _schedules.WaitForAsync(id, s => s.GetProperty("status").GetString() == "completed", "completed");
        var message = await _schedules.WaitForMessageAsync(done.GetProperty("message_id").GetGuid(), "sent");

        Assert.Multiple(() =>
        {
            Assert.That(edited.GetProperty("next_trigger_at").GetDateTimeOffset(), Is.EqualTo(at));
            Assert.That(message.GetProperty("message_body").GetString(), Is.EqualTo("new text"));
            Assert.That(SendsFor(token), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task An_edit_after_the_run_was_prepared_and_before_its_time_cancels_the_prepared_message_and_sends_the_new_one_once()
    {
        var (channel, token) = await ChannelAsync();
        var at = Soon(4);
        var id = (await CreateSingleAsync(channel, at, body: "old text")).GetProperty("id").GetGuid();
        var prepared = await _schedules.WaitForAsync(id, s => s.GetProperty("trigger_count").GetInt32() == 1, "the run to be prepared");
        var preparedMessage = prepared.GetProperty("message_id").GetGuid();
        var waiting = await _schedules.WaitForMessageAsync(preparedMessage, "scheduled");

        var edited = await _schedules.PatchAsync(id, new { message_body = "new text" });
        var done = await _schedules.WaitForAsync(id, s => s.GetProperty("status").GetString() == "completed", "completed");
        var sent = await _schedules.WaitForMessageAsync(done.GetProperty("message_id").GetGuid(), "sent");
        var taken = (await (await _http.GetAsync($"/v1/messages/{preparedMessage}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(prepared.GetProperty("status").GetString(), Is.EqualTo("triggered"), "a one-time run prepared ahead");
            Assert.That(waiting.GetProperty("scheduled_at").GetDateTimeOffset(), Is.EqualTo(at));
            Assert.That(edited.GetProperty("status").GetString(), Is.EqualTo("pending"), "taken back, so the edit applies to it");
            Assert.That(edited.GetProperty("next_trigger_at").GetDateTimeOffset(), Is.EqualTo(at));
            Assert.That(edited.GetProperty("trigger_count").GetInt32(), Is.Zero);
            Assert.That(taken.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(sent.GetProperty("message_body").GetString(), Is.EqualTo("new text"));
            Assert.That(sent.GetProperty("sent_at").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(at));
            Assert.That(done.GetProperty("trigger_count").GetInt32(), Is.EqualTo(1));
            Assert.That(SendsFor(token), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_prepared_message_cancelled_through_the_messages_api_ends_its_schedule_cancelled()
    {
        var (channel, token) = await ChannelAsync();
        var at = Soon(4);
        var id = (await CreateSingleAsync(channel, at)).GetProperty("id").GetGuid();
        var prepared = (await _schedules.WaitForAsync(id, s => s.GetProperty("trigger_count").GetInt32() == 1, "the run to be prepared"))
            .GetProperty("message_id").GetGuid();

        await (await _http.PatchJsonAsync($"/v1/messages/{prepared}", new { status = "cancelled" })).ExpectAsync(HttpStatusCode.OK);
        var ended = await _schedules.WaitForAsync(id, s => s.GetProperty("status").GetString() != "triggered", "the schedule to end");
        await PassAsync(at);

        Assert.Multiple(() =>
        {
            Assert.That(ended.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(SendsFor(token), Is.Zero);
        });
    }

    [Test]
    public async Task A_schedule_deleted_after_its_run_was_prepared_and_before_its_time_sends_nothing()
    {
        var (channel, token) = await ChannelAsync();
        var at = Soon(3);
        var id = (await CreateSingleAsync(channel, at, rule: "daily")).GetProperty("id").GetGuid();
        var prepared = (await _schedules.WaitForAsync(id, s => s.GetProperty("trigger_count").GetInt32() == 1, "the run to be prepared"))
            .GetProperty("message_id").GetGuid();

        await (await _http.DeleteAsync($"/v1/scheduled-messages/{id}")).ExpectAsync(HttpStatusCode.NoContent);
        await PassAsync(at);
        var message = (await (await _http.GetAsync($"/v1/messages/{prepared}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(message.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(SendsFor(token), Is.Zero);
        });
    }

    [Test]
    public async Task A_message_posted_with_a_future_scheduled_at_is_released_then_and_a_cancelled_one_is_not()
    {
        var (channel, token) = await ChannelAsync();
        var (otherChannel, otherToken) = await ChannelAsync();
        var at = Soon();
        var later = (await (await _http.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "6001", message_body = "later", scheduled_at = at }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var cancelled = (await (await _http.PostJsonAsync("/v1/messages", new { channel_id = otherChannel, delivery_address = "6002", message_body = "never", scheduled_at = at }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        await (await _http.PatchJsonAsync($"/v1/messages/{cancelled}", new { status = "cancelled" })).ExpectAsync(HttpStatusCode.OK);

        var sent = await _schedules.WaitForMessageAsync(later.GetProperty("id").GetGuid(), "sent");
        var stillCancelled = (await (await _http.GetAsync($"/v1/messages/{cancelled}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(later.GetProperty("status").GetString(), Is.EqualTo("scheduled"));
            Assert.That(sent.GetProperty("sent_at").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(at));
            Assert.That(SendsFor(token), Is.EqualTo(1));
            Assert.That(stillCancelled.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(SendsFor(otherToken), Is.Zero);
        });
    }

    [Test]
    public async Task A_one_time_schedule_stays_triggered_and_not_editable_while_its_message_waits_and_completes_when_it_is_sent()
    {
        // Quiet hours around now (UTC), so the message the schedule makes waits queued until they end.
        var now = _clock.GetUtcNow();
        var quietEnd = now.AddHours(1);
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var channel = (await (await _http.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "quiet bot " + token[..6], channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = _simulator.BaseUrl.ToString() },
            quiet_hours = new { start = now.AddHours(-1).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                end = quietEnd.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), timezone = "Etc/UTC" },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var id = (await CreateSingleAsync(channel, Soon())).GetProperty("id").GetGuid();

        var triggered = await _schedules.WaitForAsync(id, s => s.GetProperty("trigger_count").GetInt32() == 1, "the run");
        var waiting = await _schedules.WaitForMessageAsync(triggered.GetProperty("message_id").GetGuid(), "queued");
        var edit = await (await _http.PatchJsonAsync($"/v1/scheduled-messages/{id}", new { message_body = "again" })).ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var completed = await _schedules.WaitForAsync(id, s => s.GetProperty("status").GetString() != "triggered", "the send to end");

        Assert.Multiple(() =>
        {
            Assert.That(triggered.GetProperty("status").GetString(), Is.EqualTo("triggered"));
            Assert.That(triggered.GetProperty("next_trigger_at").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(waiting.GetProperty("deferred_until").ValueKind, Is.Not.EqualTo(JsonValueKind.Null));
            Assert.That(edit.GetProperty("message").GetString(), Does.Contain("triggered"));
            Assert.That(completed.GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(SendsFor(token), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_schedule_whose_message_fails_is_failed_with_the_reason()
    {
        var (channel, _) = await ChannelAsync();
        var id = (await _schedules.CreateAsync(new
        {
            channel_id = channel, send_type = "single", delivery_address = "-4040001", message_body = "to nobody", scheduled_at = Soon(), timezone = "Etc/UTC",
        })).GetProperty("id").GetGuid();

        var failed = await _schedules.WaitForAsync(id, s => s.GetProperty("status").GetString() == "failed", "failed");
        var message = await _schedules.WaitForMessageAsync(failed.GetProperty("message_id").GetGuid(), "failed");

        Assert.Multiple(() =>
        {
            Assert.That(failed.GetProperty("trigger_count").GetInt32(), Is.EqualTo(1));
            Assert.That(failed.GetProperty("last_error").GetString(), Does.Contain("chat not found"), failed.ToString());
            Assert.That(message.GetProperty("status").GetString(), Is.EqualTo("failed"));
        });
    }

    // Proves the trigger has run past `at`: a marker schedule due just after it has fired.
    private async Task PassAsync(DateTimeOffset at)
    {
        var (channel, _) = await ChannelAsync();
        var marker = (await CreateSingleAsync(channel, at.AddMilliseconds(200) > Soon(0.2) ? at.AddMilliseconds(200) : Soon(0.2))).GetProperty("id").GetGuid();
        await _schedules.WaitForAsync(marker, s => s.GetProperty("status").GetString() == "completed", "the marker to fire");
    }
}
