using System.Net;
using System.Text.Json;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Scheduling;

/// <summary>
/// Sends in the recipient's own time: <c>deliver_at: recipient_local</c> releasing a group schedule
/// zone by zone, and quiet hours holding a message until they end. The clock is moved forward the
/// hours between zones; the release path and dispatch both read it.
/// </summary>
[TestFixture]
public sealed class RecipientTimeTests
{
    private static readonly TimeZoneInfo Addis = TimeZoneInfo.FindSystemTimeZoneById("Africa/Addis_Ababa");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private readonly ShiftedClock _clock = new();
    private IsolatedServices _services = null!;
    private SimulatorHost _simulator = null!;
    private TurumbaApp _app = null!;
    private HttpClient _http = null!;
    private ScheduleClient _schedules = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _services = await IsolatedServices.CreateAsync("recipient-time");
        _simulator = await SimulatorHost.StartAsync();
        var settings = _services.Settings;
        settings["Turumba:Scheduling:PollInterval"] = "00:00:00.100";
        _app = new TurumbaApp(settings: settings, clock: _clock);
        _http = await _app.CreateAccountClientAsync("recipient-time");
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

    /// <summary>The instant <paramref name="zone"/> shows the wall-clock time <paramref name="at"/> shows in <paramref name="from"/> (no DST change near: December).</summary>
    private static DateTimeOffset SameLocal(DateTimeOffset at, TimeZoneInfo from, TimeZoneInfo zone) =>
        new(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(at, from).DateTime, DateTimeKind.Unspecified), zone), TimeSpan.Zero);

    private async Task<(Guid Channel, string Token)> ChannelAsync(object? quietHours = null)
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var id = (await (await _http.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "local time bot " + token[..6],
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = _simulator.BaseUrl.ToString() },
            quiet_hours = quietHours,
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        return (id, token);
    }

    /// <summary>A group of contacts, one per zone (null: a contact without a timezone attribute); returns the group and the contacts by zone.</summary>
    private async Task<(Guid Group, Dictionary<string, Guid> Contacts)> GroupAsync(params string?[] zones)
    {
        var contacts = new Dictionary<string, Guid>();
        foreach (var zone in zones)
        {
            var attributes = zone is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["timezone"] = zone };
            contacts[zone ?? "none"] = (await (await _http.PostJsonAsync("/v1/contacts", new
            {
                first_name = (zone ?? "none").Split('/')[^1],
                addresses = new Dictionary<string, string> { ["telegram"] = Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                attributes,
            })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        }

        var group = (await (await _http.PostJsonAsync("/v1/contact-groups", new { name = "zones " + Guid.NewGuid().ToString("N")[..6] })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        await (await _http.PostJsonAsync($"/v1/contact-groups/{group}/members", new { contact_ids = contacts.Values })).ExpectAsync(HttpStatusCode.OK);
        return (group, contacts);
    }

    private async Task<Dictionary<Guid, JsonElement>> MessagesOfAsync(Guid groupMessage) =>
        (await (await _http.GetAsync($"/v1/messages?filter=group_message_id:eq:{groupMessage}&limit=100")).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("contact_id").GetGuid());

    private async Task<Dictionary<Guid, JsonElement>> WaitForMessagesAsync(Guid groupMessage, Func<Dictionary<Guid, JsonElement>, bool> condition, string what)
    {
        Dictionary<Guid, JsonElement> messages = [];
        await Eventually.WaitAsync(async () => condition(messages = await MessagesOfAsync(groupMessage)), ScheduleClient.Deadline, what);
        return messages;
    }

    private static string Status(JsonElement message) => message.GetProperty("status").GetString()!;

    private static DateTimeOffset? DeferredUntil(JsonElement message) =>
        message.GetProperty("deferred_until").ValueKind == JsonValueKind.Null ? null : message.GetProperty("deferred_until").GetDateTimeOffset();

    private async Task<JsonElement> GroupMessageAsync(Guid id) =>
        (await (await _http.GetAsync($"/v1/group-messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

    private int SendsTo(string token) => _simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token);

    [Test]
    public async Task A_recipient_local_group_schedule_reaches_each_zone_at_its_own_local_time()
    {
        var (channel, token) = await ChannelAsync();
        var (group, contacts) = await GroupAsync("Africa/Addis_Ababa", "Europe/Berlin", "America/New_York", null);
        var at = _clock.GetUtcNow().AddSeconds(1.5);
        at = at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMillisecond));
        var id = (await _schedules.CreateAsync(new
        {
            channel_id = channel, send_type = "group", contact_group_ids = new[] { group }, message_body = "Good morning {FIRST_NAME}",
            scheduled_at = at, timezone = "Africa/Addis_Ababa", deliver_at = "recipient_local",
        })).GetProperty("id").GetGuid();

        // Triggered: the group send exists and runs until its last zone is sent.
        var schedule = await _schedules.WaitForAsync(id, s => s.GetProperty("status").GetString() == "triggered", "triggered");
        var send = schedule.GetProperty("group_message_id").GetGuid();
        var berlinAt = SameLocal(at, Addis, Berlin);
        var newYorkAt = SameLocal(at, Addis, NewYork);
        var first = await WaitForMessagesAsync(send, m => m.Count == 4 && Status(m[contacts["Africa/Addis_Ababa"]]) == "sent" && Status(m[contacts["none"]]) == "sent",
            "Addis Ababa and the contact without a zone sent at once");
        var pending = await GroupMessageAsync(send);

        Assert.Multiple(() =>
        {
            Assert.That(schedule.GetProperty("deliver_at").GetString(), Is.EqualTo("recipient_local"));
            Assert.That(Status(first[contacts["Europe/Berlin"]]), Is.EqualTo("queued"));
            Assert.That(DeferredUntil(first[contacts["Europe/Berlin"]]), Is.EqualTo(berlinAt), "09:00 in Berlin is two hours after 09:00 in Addis Ababa");
            Assert.That(first[contacts["Europe/Berlin"]].GetProperty("scheduled_at").GetDateTimeOffset(), Is.EqualTo(berlinAt));
            Assert.That(Status(first[contacts["America/New_York"]]), Is.EqualTo("queued"));
            Assert.That(DeferredUntil(first[contacts["America/New_York"]]), Is.EqualTo(newYorkAt), "and New York eight hours after");
            Assert.That(pending.GetProperty("status").GetString(), Is.EqualTo("processing"), "one send, still running");
            Assert.That(pending.GetProperty("total_recipients").GetInt32(), Is.EqualTo(4));
            Assert.That(pending.GetProperty("deliver_at").GetString(), Is.EqualTo("recipient_local"));
            Assert.That(SendsTo(token), Is.EqualTo(2));
        });

        _clock.Advance(berlinAt - _clock.GetUtcNow() + TimeSpan.FromMilliseconds(200));
        var second = await WaitForMessagesAsync(send, m => Status(m[contacts["Europe/Berlin"]]) == "sent", "Berlin sent at its time");
        Assert.Multiple(() =>
        {
            Assert.That(second[contacts["Europe/Berlin"]].GetProperty("sent_at").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(berlinAt));
            Assert.That(DeferredUntil(second[contacts["Europe/Berlin"]]), Is.Null, "released");
            Assert.That(Status(second[contacts["America/New_York"]]), Is.EqualTo("queued"), "New York still waits");
        });

        _clock.Advance(newYorkAt - _clock.GetUtcNow() + TimeSpan.FromMilliseconds(200));
        var done = await WaitForMessagesAsync(send, m => Status(m[contacts["America/New_York"]]) == "sent", "New York sent at its time");
        JsonElement completed = default;
        await Eventually.WaitAsync(async () => (completed = await GroupMessageAsync(send)).GetProperty("status").GetString() == "completed",
            ScheduleClient.Deadline, "the group send to complete");
        await _schedules.WaitForAsync(id, s => s.GetProperty("status").GetString() == "completed", "the schedule completed with its send");

        Assert.Multiple(() =>
        {
            Assert.That(done[contacts["America/New_York"]].GetProperty("sent_at").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(newYorkAt));
            Assert.That(completed.GetProperty("sent_count").GetInt32(), Is.EqualTo(4));
            Assert.That(completed.GetProperty("pending_count").GetInt32(), Is.EqualTo(0));
            Assert.That(SendsTo(token), Is.EqualTo(4), "each recipient once");
        });
    }

    [Test]
    public async Task Quiet_hours_hold_only_the_recipients_inside_them_until_they_end_and_a_transactional_send_may_ignore_them()
    {
        // A two-hour window around Berlin's present local time: Berlin is inside it; Addis Ababa (two
        // hours later) and New York (six hours earlier) are not.
        var now = _clock.GetUtcNow();
        var berlinNow = TimeZoneInfo.ConvertTime(now, Berlin).DateTime;
        var minute = new DateTime(berlinNow.Year, berlinNow.Month, berlinNow.Day, berlinNow.Hour, berlinNow.Minute, 0, DateTimeKind.Unspecified);
        var endLocal = minute.AddMinutes(60);
        var quietEnd = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(endLocal, Berlin), TimeSpan.Zero);
        var (channel, token) = await ChannelAsync(new { start = minute.AddMinutes(-60).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            end = endLocal.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) });
        var (group, contacts) = await GroupAsync("Africa/Addis_Ababa", "Europe/Berlin", "America/New_York");

        var send = (await (await _http.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, message_body = "News", status = "queued" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var held = (await (await _http.PostJsonAsync("/v1/messages", new { channel_id = channel, contact_id = contacts["Europe/Berlin"], message_body = "Newsletter" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var later = (await (await _http.PostJsonAsync("/v1/messages", new
        {
            channel_id = channel, contact_id = contacts["Europe/Berlin"], message_body = "Reminder", scheduled_at = now.AddSeconds(2),
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var urgent = (await (await _http.PostJsonAsync("/v1/messages", new
        {
            channel_id = channel, contact_id = contacts["Europe/Berlin"], message_body = "Your code is 1234", ignore_quiet_hours = true,
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        var first = await WaitForMessagesAsync(send, m => m.Count == 3 && Status(m[contacts["Africa/Addis_Ababa"]]) == "sent" && Status(m[contacts["America/New_York"]]) == "sent",
            "the recipients outside quiet hours sent at once");
        await _schedules.WaitForMessageAsync(urgent, "sent");
        var heldNow = (await (await _http.GetAsync($"/v1/messages/{held.GetProperty("id").GetGuid()}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        // Its scheduled time comes inside quiet hours: released from scheduled to queued, still deferred.
        var laterNow = await _schedules.WaitForMessageAsync(later.GetProperty("id").GetGuid(), "queued");

        Assert.Multiple(() =>
        {
            Assert.That(Status(first[contacts["Europe/Berlin"]]), Is.EqualTo("queued"));
            Assert.That(DeferredUntil(first[contacts["Europe/Berlin"]]), Is.EqualTo(quietEnd), "until quiet hours end in Berlin");
            Assert.That(DeferredUntil(first[contacts["Africa/Addis_Ababa"]]), Is.Null);
            Assert.That(Status(heldNow), Is.EqualTo("queued"), "a single send waits too");
            Assert.That(DeferredUntil(heldNow), Is.EqualTo(quietEnd));
            Assert.That(Status(later), Is.EqualTo("scheduled"));
            Assert.That(DeferredUntil(later), Is.EqualTo(quietEnd), "its scheduled time falls in quiet hours");
            Assert.That(DeferredUntil(laterNow), Is.EqualTo(quietEnd));
            Assert.That(SendsTo(token), Is.EqualTo(3), "two of the group and the transactional one");
        });

        _clock.Advance(quietEnd - _clock.GetUtcNow() + TimeSpan.FromMilliseconds(200));
        var after = await WaitForMessagesAsync(send, m => Status(m[contacts["Europe/Berlin"]]) == "sent", "Berlin sent when quiet hours end");
        var released = await _schedules.WaitForMessageAsync(held.GetProperty("id").GetGuid(), "sent");
        await _schedules.WaitForMessageAsync(later.GetProperty("id").GetGuid(), "sent");
        await Eventually.WaitAsync(async () => (await GroupMessageAsync(send)).GetProperty("status").GetString() == "completed",
            ScheduleClient.Deadline, "the group send to complete");

        Assert.Multiple(() =>
        {
            Assert.That(after[contacts["Europe/Berlin"]].GetProperty("sent_at").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(quietEnd));
            Assert.That(released.GetProperty("sent_at").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(quietEnd));
            Assert.That(SendsTo(token), Is.EqualTo(6), "each once");
        });
    }

    [Test]
    public async Task Bad_deliver_at_and_quiet_hours_are_refused_naming_the_field()
    {
        var (channel, _) = await ChannelAsync();
        var at = _clock.GetUtcNow().AddHours(1);
        await _schedules.ExpectInvalidAsync(new
        {
            channel_id = channel, send_type = "group", contact_group_ids = new[] { Guid.NewGuid() }, message_body = "x", scheduled_at = at, deliver_at = "local",
        }, "deliver_at");
        await _schedules.ExpectInvalidAsync(new
        {
            channel_id = channel, send_type = "single", delivery_address = "1", message_body = "x", scheduled_at = at, deliver_at = "recipient_local",
        }, "deliver_at");

        foreach (var (quiet, field) in new (object, string)[]
        {
            (new { start = "9pm", end = "08:00" }, "quiet_hours.start"),
            (new { start = "21:00", end = "24:00" }, "quiet_hours.end"),
            (new { start = "21:00", end = "21:00" }, "quiet_hours.end"),
            (new { start = "21:00", end = "08:00", timezone = "Mars/Base" }, "quiet_hours.timezone"),
        })
        {
            var error = await (await _http.PatchJsonAsync($"/v1/channels/{channel}?verify=false", new { quiet_hours = quiet }))
                .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
            Assert.That(error.GetProperty("details").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()), Does.Contain(field), error.ToString());
        }

        var set = (await (await _http.PatchJsonAsync($"/v1/channels/{channel}?verify=false", new { quiet_hours = new { start = "21:00", end = "08:00", timezone = "Africa/Addis_Ababa" } }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetProperty("quiet_hours");
        var removed = (await (await _http.PatchJsonAsync($"/v1/channels/{channel}?verify=false", new { quiet_hours = new { } }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetProperty("quiet_hours");
        Assert.Multiple(() =>
        {
            Assert.That(set.GetProperty("start").GetString(), Is.EqualTo("21:00"));
            Assert.That(set.GetProperty("end").GetString(), Is.EqualTo("08:00"));
            Assert.That(set.GetProperty("timezone").GetString(), Is.EqualTo("Africa/Addis_Ababa"));
            Assert.That(removed.ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }
}
