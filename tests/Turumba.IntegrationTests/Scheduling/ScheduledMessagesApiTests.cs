using System.Net;

namespace Turumba.IntegrationTests.Scheduling;

[TestFixture]
public sealed class ScheduledMessagesApiTests
{
    private HttpClient _http = null!;
    private ScheduleClient _schedules = null!;
    private Guid _channel;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _http = await TestServices.App.CreateAccountClientAsync("schedules api");
        _schedules = new ScheduleClient(_http, TimeProvider.System);
        _channel = await _schedules.CreateChannelAsync("http://127.0.0.1:9/");
    }

    [OneTimeTearDown]
    public void Stop() => _http.Dispose();

    private object Single(DateTimeOffset? at = null, string timezone = "Africa/Addis_Ababa", bool recurring = false, string? rule = null,
        DateTimeOffset? endAt = null, string? address = "1001", string sendType = "single", Guid[]? groups = null, Guid? channel = null) => new
    {
        channel_id = channel ?? _channel,
        name = "reminder",
        send_type = sendType,
        delivery_address = address,
        contact_group_ids = groups,
        message_body = "Your appointment is tomorrow",
        scheduled_at = at ?? _schedules.Now.AddDays(30),
        timezone,
        is_recurring = recurring,
        recurrence_rule = rule,
        recurrence_end_at = endAt,
    };

    [Test]
    public async Task A_schedule_is_created_read_listed_edited_and_deleted()
    {
        var at = new DateTimeOffset(2030, 3, 8, 14, 0, 0, TimeSpan.Zero);
        var created = await _schedules.CreateAsync(Single(at, "America/New_York", recurring: true, rule: "weekly:mon,fri"));
        var id = created.GetProperty("id").GetGuid();
        var listed = await (await _http.GetAsync($"/v1/scheduled-messages?filter=id:eq:{id}&filter=status:eq:pending&filter=is_recurring:eq:true&sort=next_trigger_at:asc"))
            .ExpectAsync(HttpStatusCode.OK);
        var occurrences = (await (await _http.GetAsync($"/v1/scheduled-messages/{id}/occurrences?count=3")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var edited = await _schedules.PatchAsync(id, new { recurrence_rule = "daily", name = "daily reminder" });
        await (await _http.DeleteAsync($"/v1/scheduled-messages/{id}")).ExpectAsync(HttpStatusCode.NoContent);
        var gone = await (await _http.GetAsync($"/v1/scheduled-messages/{id}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");

        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("status").GetString(), Is.EqualTo("pending"));
            Assert.That(created.GetProperty("next_trigger_at").GetDateTimeOffset(), Is.EqualTo(at));
            Assert.That(created.GetProperty("trigger_count").GetInt32(), Is.Zero);
            Assert.That(listed.GetProperty("meta").GetProperty("total").GetInt64(), Is.EqualTo(1));
            // Friday 8 March 2030 09:00 EST, then (clocks change on the 10th) Monday 11 March 09:00 EDT = 13:00Z, Friday 15 March 13:00Z.
            Assert.That(occurrences.EnumerateArray().Select(o => o.GetProperty("at").GetDateTimeOffset()),
                Is.EqualTo(new[] { at, at.AddDays(3).AddHours(-1), at.AddDays(7).AddHours(-1) }));
            Assert.That(occurrences[0].GetProperty("local_time").GetString(), Does.EndWith("T09:00:00"));
            Assert.That(occurrences[1].GetProperty("local_time").GetString(), Does.EndWith("T09:00:00"));
            Assert.That(edited.GetProperty("recurrence_rule").GetString(), Is.EqualTo("daily"));
            Assert.That(edited.GetProperty("next_trigger_at").GetDateTimeOffset(), Is.EqualTo(at));
            Assert.That(gone.GetProperty("message").GetString(), Does.Contain("No scheduled message"));
        });
    }

    [Test]
    public async Task A_schedule_without_a_timezone_is_in_utc()
    {
        var at = new DateTimeOffset(2030, 3, 8, 14, 0, 0, TimeSpan.Zero);
        var created = await _schedules.CreateAsync(new { channel_id = _channel, send_type = "single", delivery_address = "1001", message_body = "hi", scheduled_at = at });

        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("timezone").GetString(), Is.EqualTo("UTC"));
            Assert.That(created.GetProperty("next_trigger_at").GetDateTimeOffset(), Is.EqualTo(at));
        });
    }

    [Test]
    public async Task Every_bad_input_is_a_422_naming_its_field()
    {
        var now = _schedules.Now;
        await _schedules.ExpectInvalidAsync(Single(timezone: "Mars/Olympus_Mons"), "timezone");
        await _schedules.ExpectInvalidAsync(Single(recurring: true, rule: "fortnightly"), "recurrence_rule");
        await _schedules.ExpectInvalidAsync(Single(recurring: true, rule: "cron:99 * * * *"), "recurrence_rule");
        await _schedules.ExpectInvalidAsync(Single(recurring: true), "recurrence_rule");
        await _schedules.ExpectInvalidAsync(Single(at: now.AddMinutes(-5)), "scheduled_at");
        await _schedules.ExpectInvalidAsync(Single(at: now.AddDays(2), recurring: true, rule: "daily", endAt: now.AddDays(1)), "recurrence_end_at");
        await _schedules.ExpectInvalidAsync(Single(address: null), "delivery_address");
        await _schedules.ExpectInvalidAsync(Single(sendType: "group", address: null), "contact_group_ids");
        await _schedules.ExpectInvalidAsync(Single(sendType: "group", address: null, groups: [Guid.NewGuid()]), "contact_group_ids");
        await _schedules.ExpectInvalidAsync(Single(channel: Guid.NewGuid()), "channel_id");
        await _schedules.ExpectInvalidAsync(Single(recurring: true, rule: "cron:0 9 30 2 *"), "recurrence_rule");
    }

    [Test]
    public async Task A_cancelled_schedule_cannot_be_edited_or_resumed()
    {
        var id = (await _schedules.CreateAsync(Single())).GetProperty("id").GetGuid();
        var cancelled = await _schedules.PatchAsync(id, new { status = "cancelled" });

        var edit = await (await _http.PatchJsonAsync($"/v1/scheduled-messages/{id}", new { name = "again" })).ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");
        await (await _http.PatchJsonAsync($"/v1/scheduled-messages/{id}", new { status = "pending" })).ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(cancelled.GetProperty("next_trigger_at").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(edit.GetProperty("message").GetString(), Does.Contain("cancelled"));
        });
    }

    [Test]
    public async Task Unknown_list_fields_are_a_400()
    {
        await (await _http.GetAsync("/v1/scheduled-messages?filter=message_body:eq:x")).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await _http.GetAsync("/v1/scheduled-messages?sort=channel_id:asc")).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
    }
}
