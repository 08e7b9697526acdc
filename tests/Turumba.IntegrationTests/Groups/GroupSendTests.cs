using System.Net;
using System.Text.Json;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Groups;

[TestFixture]
public sealed class GroupSendTests
{
    private IsolatedServices _services = null!;
    private SimulatorHost _simulator = null!;
    private TurumbaApp _app = null!;
    private HttpClient _client = null!;
    private GroupSendClient _groups = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _services = await IsolatedServices.CreateAsync("groups");
        _simulator = await SimulatorHost.StartAsync();
        _app = new TurumbaApp(settings: _services.Settings);
        _client = await _app.CreateAccountClientAsync("groups");
        _groups = new GroupSendClient(_client, _services.Postgres, _simulator);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Test]
    public async Task Overlapping_groups_minus_excluded_get_one_rendered_message_each_and_the_send_completes()
    {
        var (channel, token) = await _groups.CreateChannelAsync();
        var ids = new List<Guid>();
        foreach (var name in new[] { "Abebe", "Almaz", "Dawit", "Sara", "Yonas" })
        {
            ids.Add(await CreateContactAsync(name, $"{Random.Shared.Next(1_000_000, 9_999_999)}"));
        }

        var first = await CreateGroupAsync("first", ids.Take(3));
        var second = await CreateGroupAsync("second", ids.Skip(2));
        var created = (await (await _client.PostJsonAsync("/v1/group-messages", new
        {
            channel_id = channel,
            contact_group_ids = new[] { first, second },
            exclude_contact_ids = new[] { ids[4] },
            message_body = "Selam {FIRST_NAME}, {OFFER}",
            custom_values = new Dictionary<string, string> { ["offer"] = "10% off" },
            status = "queued",
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var id = created.GetProperty("id").GetGuid();

        var done = await _groups.WaitForStatusAsync(id, "completed");
        var texts = _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).Select(r => r.Parameters["text"]!.ToString()).Order().ToList();
        var listed = await (await _client.GetAsync($"/v1/messages?filter=group_message_id:eq:{id}")).ExpectAsync(HttpStatusCode.OK);
        var saga = await _groups.GetSagaAsync(id);
        var metrics = await (await _client.GetAsync("/metrics")).Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(metrics, Does.Contain("turumba_groups_recipients_total").And.Contain("turumba_groups_fan_out_page_duration_seconds"));
            Assert.That(saga.GetProperty("state").GetString(), Is.EqualTo("completed"));
            Assert.That(saga.GetProperty("counters").GetProperty("sent").GetInt32(), Is.EqualTo(4));
            Assert.That(texts, Is.EqualTo(new[] { "Selam Abebe, 10% off", "Selam Almaz, 10% off", "Selam Dawit, 10% off", "Selam Sara, 10% off" }));
            Assert.That(done.GetProperty("total_recipients").GetInt32(), Is.EqualTo(4));
            Assert.That(done.GetProperty("sent_count").GetInt32(), Is.EqualTo(4));
            Assert.That(done.GetProperty("pending_count").GetInt32(), Is.Zero);
            Assert.That(done.GetProperty("started_at").ValueKind, Is.EqualTo(JsonValueKind.String));
            Assert.That(done.GetProperty("completed_at").ValueKind, Is.EqualTo(JsonValueKind.String));
            Assert.That(listed.GetProperty("meta").GetProperty("total").GetInt64(), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Skip_contact_skips_those_missing_a_value_and_counts_them()
    {
        var (channel, token) = await _groups.CreateChannelAsync();
        var withCode = await CreateContactAsync("Hana", "800001", new Dictionary<string, string> { ["code"] = "A1" });
        var withoutCode = await CreateContactAsync("Lemma", "800002");
        var group = await CreateGroupAsync("codes", [withCode, withoutCode]);
        var template = (await (await _client.PostJsonAsync("/v1/templates", new { name = "code", body = "Your code {CODE}", fallback_strategy = "skip_contact" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        var id = (await (await _client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, template_id = template }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        await (await _client.PatchJsonAsync($"/v1/group-messages/{id}", new { status = "queued" })).ExpectAsync(HttpStatusCode.OK);
        var done = await _groups.WaitForStatusAsync(id, "completed");

        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("total_recipients").GetInt32(), Is.EqualTo(1));
            Assert.That(done.GetProperty("skipped_count").GetInt32(), Is.EqualTo(1));
            Assert.That(_simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).Select(r => r.Parameters["chat_id"]!.ToString()),
                Is.EqualTo(new[] { "800001" }));
        });
    }

    [Test]
    public async Task Bad_group_messages_are_rejected_clearly()
    {
        var (channel, _) = await _groups.CreateChannelAsync();
        var group = await CreateGroupAsync("empty", []);

        await (await _client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, message_body = "x", template_id = Guid.NewGuid() }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var unknownGroup = await (await _client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { Guid.NewGuid() }, message_body = "x" }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        await (await _client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, message_body = "x", status = "completed" }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");

        Assert.That(unknownGroup.GetProperty("message").GetString(), Does.Contain("No contact group"));
    }

    private async Task<Guid> CreateContactAsync(string firstName, string chat, Dictionary<string, string>? attributes = null) =>
        (await (await _client.PostJsonAsync("/v1/contacts", new
        {
            first_name = firstName,
            addresses = new Dictionary<string, string> { ["telegram"] = chat },
            attributes = attributes ?? [],
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

    private async Task<Guid> CreateGroupAsync(string name, IEnumerable<Guid> members)
    {
        var id = (await (await _client.PostJsonAsync("/v1/contact-groups", new { name = name + Guid.NewGuid().ToString("N")[..6] })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        var list = members.ToList();
        if (list.Count > 0)
        {
            await (await _client.PostJsonAsync($"/v1/contact-groups/{id}/members", new { contact_ids = list })).ExpectAsync(HttpStatusCode.OK);
        }

        return id;
    }
}
