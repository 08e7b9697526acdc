using System.Net;

namespace Turumba.IntegrationTests.Messaging;

[TestFixture]
public sealed class TemplatesApiTests
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task CreateClientAsync() => _client = await TestServices.App.CreateAccountClientAsync("templates");

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Variables_are_extracted_on_create_and_on_body_change()
    {
        var created = (await (await _client.PostJsonAsync("/v1/templates", new { name = "Welcome", body = "Hi {first_name}, welcome to {CITY}!" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var id = created.GetProperty("id").GetGuid();
        var updated = (await (await _client.PatchJsonAsync($"/v1/templates/{id}", new { body = "Code {CODE}" }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("variables").EnumerateArray().Select(v => v.GetString()), Is.EqualTo(new[] { "FIRST_NAME", "CITY" }));
            Assert.That(created.GetProperty("fallback_strategy").GetString(), Is.EqualTo("keep_placeholder"));
            Assert.That(updated.GetProperty("variables").EnumerateArray().Select(v => v.GetString()), Is.EqualTo(new[] { "CODE" }));
            Assert.That(updated.GetProperty("name").GetString(), Is.EqualTo("Welcome"));
        });
    }

    [Test]
    public async Task Preview_renders_for_a_contact_with_custom_values_and_defaults()
    {
        var contact = (await (await _client.PostJsonAsync("/v1/contacts", new
        {
            first_name = "Almaz",
            phone = "+251911600001",
            attributes = new Dictionary<string, string> { ["city"] = "Gondar" },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var template = (await (await _client.PostJsonAsync("/v1/templates", new
        {
            name = "Offer",
            body = "{FIRST_NAME} in {CITY}: {DISCOUNT} off, code {CODE}",
            channel_type = "sms",
            fallback_strategy = "use_default",
            default_values = new Dictionary<string, string> { ["code"] = "WELCOME" },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        var preview = (await (await _client.PostJsonAsync($"/v1/templates/{template}/preview", new
        {
            contact_id = contact,
            custom_values = new Dictionary<string, string> { ["discount"] = "20%" },
        })).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(preview.GetProperty("text").GetString(), Is.EqualTo("Almaz in Gondar: 20% off, code WELCOME"));
            Assert.That(preview.GetProperty("skipped").GetBoolean(), Is.False);
            Assert.That(preview.GetProperty("delivery_address").GetString(), Is.EqualTo("+251911600001"));
        });
    }

    [Test]
    public async Task Preview_reports_a_skipped_contact()
    {
        var template = (await (await _client.PostJsonAsync("/v1/templates", new { name = "Strict", body = "Code {CODE}", fallback_strategy = "skip_contact" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        var preview = (await (await _client.PostJsonAsync($"/v1/templates/{template}/preview", new { }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(preview.GetProperty("skipped").GetBoolean(), Is.True);
            Assert.That(preview.GetProperty("missing_variables").EnumerateArray().Select(v => v.GetString()), Is.EqualTo(new[] { "CODE" }));
        });
    }

    [Test]
    public async Task Invalid_templates_and_filters_are_rejected_clearly()
    {
        await (await _client.PostJsonAsync("/v1/templates", new { name = "x" })).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var badStrategy = await (await _client.PostJsonAsync("/v1/templates", new { name = "x", body = "y", fallback_strategy = "guess" }))
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await _client.PostJsonAsync("/v1/templates", new { name = "x", body = "y", channel_type = "fax" }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        await (await _client.GetAsync("/v1/templates?filter=approval_status:eq:maybe")).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");

        Assert.That(badStrategy.GetProperty("message").GetString(), Does.Contain("fallback_strategy"));
    }

    [Test]
    public async Task Templates_filter_by_enum_and_text()
    {
        await (await _client.PostJsonAsync("/v1/templates", new { name = "Pending one", body = "a", approval_status = "pending" })).ExpectAsync(HttpStatusCode.Created);
        await (await _client.PostJsonAsync("/v1/templates", new { name = "Approved one", body = "b" })).ExpectAsync(HttpStatusCode.Created);

        var pending = await (await _client.GetAsync("/v1/templates?filter=approval_status:eq:pending")).ExpectAsync(HttpStatusCode.OK);
        var named = await (await _client.GetAsync("/v1/templates?filter=name:icontains:APPROVED")).ExpectAsync(HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(pending.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("name").GetString()), Is.EqualTo(new[] { "Pending one" }));
            Assert.That(named.GetProperty("meta").GetProperty("total").GetInt64(), Is.EqualTo(1));
        });
    }
}
