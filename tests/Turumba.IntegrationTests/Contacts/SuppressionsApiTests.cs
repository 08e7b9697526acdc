using System.Net;
using System.Text.Json;

namespace Turumba.IntegrationTests.Contacts;

/// <summary><c>/v1/suppressions</c> and E.164 phone numbers on contacts: validation, normalisation, duplicates, tenancy.</summary>
[TestFixture]
public sealed class SuppressionsApiTests
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task CreateClientAsync() => _client = await TestServices.App.CreateAccountClientAsync("suppressions");

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Add_get_list_and_lift_a_suppression()
    {
        var response = await _client.PostJsonAsync("/v1/suppressions", new { address = "+251 911 400 001", channel_type = "sms", reason = "complaint", source = "crm" });
        var created = (await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var id = created.GetProperty("id").GetGuid();
        var fetched = (await (await _client.GetAsync($"/v1/suppressions/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var listed = await ListAsync("filter=channel_type:eq:sms&filter=reason:eq:complaint");

        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/v1/suppressions/{id}"));
            Assert.That(created.GetProperty("address").GetString(), Is.EqualTo("+251911400001"), "stored in E.164");
            Assert.That(created.GetProperty("reason").GetString(), Is.EqualTo("complaint"));
            Assert.That(created.GetProperty("source").GetString(), Is.EqualTo("crm"));
            Assert.That(created.GetProperty("created_at").GetDateTimeOffset(), Is.EqualTo(fetched.GetProperty("created_at").GetDateTimeOffset()));
            Assert.That(listed.Select(s => s.GetProperty("id").GetGuid()), Is.EqualTo(new[] { id }));
        });

        using var deleted = await _client.DeleteAsync($"/v1/suppressions/{id}");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await _client.GetAsync($"/v1/suppressions/{id}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        await (await _client.DeleteAsync($"/v1/suppressions/{id}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task Defaults_are_every_channel_manual_and_api()
    {
        var created = (await (await _client.PostJsonAsync("/v1/suppressions", new { address = "Someone@Example.com" })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("channel_type").GetString(), Is.EqualTo("all"));
            Assert.That(created.GetProperty("reason").GetString(), Is.EqualTo("manual"));
            Assert.That(created.GetProperty("source").GetString(), Is.EqualTo("api"));
            Assert.That(created.GetProperty("address").GetString(), Is.EqualTo("someone@example.com"));
        });
    }

    [Test]
    public async Task Adding_the_same_address_again_answers_200_with_the_row_already_there()
    {
        var first = (await (await _client.PostJsonAsync("/v1/suppressions", new { address = "+251911400002", channel_type = "sms", reason = "opt_out" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var again = (await (await _client.PostJsonAsync("/v1/suppressions", new { address = "+251 91 140 0002", channel_type = "sms", reason = "manual" }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        await (await _client.PostJsonAsync("/v1/suppressions", new { address = "+251911400002", channel_type = "all" })).ExpectAsync(HttpStatusCode.Created);

        Assert.Multiple(async () =>
        {
            Assert.That(again.GetProperty("id").GetGuid(), Is.EqualTo(first.GetProperty("id").GetGuid()));
            Assert.That(again.GetProperty("reason").GetString(), Is.EqualTo("opt_out"), "left as it was");
            Assert.That(await ListAsync("filter=address:eq:%2B251911400002"), Has.Count.EqualTo(2), "sms and all are two suppressions");
        });
    }

    [TestCase("""{"channel_type":"sms"}""", "address")]
    [TestCase("""{"address":"","channel_type":"sms"}""", "address")]
    [TestCase("""{"address":"0911400003","channel_type":"sms"}""", "address")]
    [TestCase("""{"address":"not a number","channel_type":"whatsapp"}""", "address")]
    [TestCase("""{"address":"+12","channel_type":"all"}""", "address")]
    [TestCase("""{"address":"+251911400003","channel_type":"pigeon"}""", "channel_type")]
    [TestCase("""{"address":"+251911400003","reason":"annoyed"}""", "reason")]
    public async Task Bad_input_is_a_422_naming_the_field(string json, string field)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var body = await (await _client.PostAsync("/v1/suppressions", content)).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");

        Assert.That(Fields(body), Does.Contain(field));
    }

    [Test]
    public async Task Another_account_neither_sees_nor_lifts_it()
    {
        var id = (await (await _client.PostJsonAsync("/v1/suppressions", new { address = "5551234", channel_type = "telegram" })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        using var other = await TestServices.App.CreateAccountClientAsync("other suppressions");

        await (await other.GetAsync($"/v1/suppressions/{id}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        await (await other.DeleteAsync($"/v1/suppressions/{id}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        var theirs = (await (await other.GetAsync("/v1/suppressions")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        Assert.That(theirs.GetArrayLength(), Is.Zero);
        await (await _client.GetAsync($"/v1/suppressions/{id}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Test]
    public async Task Contact_phone_numbers_are_stored_in_e164()
    {
        var created = (await (await _client.PostJsonAsync("/v1/contacts", new
        {
            phone = "+251 (91) 140-0004",
            addresses = new Dictionary<string, string> { ["whatsapp"] = "00251911400005", ["telegram"] = "777" },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var id = created.GetProperty("id").GetGuid();
        var patched = (await (await _client.PatchJsonAsync($"/v1/contacts/{id}", new { phone = "+251 911 400 006" })).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var imported = await (await _client.PostJsonAsync("/v1/contacts/import", new { contacts = new[] { new { phone = "+251-911-400-006", first_name = "Same" } } }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("phone").GetString(), Is.EqualTo("+251911400004"));
            Assert.That(created.GetProperty("addresses").GetProperty("whatsapp").GetString(), Is.EqualTo("+251911400005"));
            Assert.That(created.GetProperty("addresses").GetProperty("telegram").GetString(), Is.EqualTo("777"));
            Assert.That(patched.GetProperty("phone").GetString(), Is.EqualTo("+251911400006"));
            Assert.That(imported.GetProperty("data").GetProperty("updated").GetInt32(), Is.EqualTo(1), "the import matched the contact in E.164");
        });
    }

    [TestCase("POST", "/v1/contacts", """{"phone":"0911400007"}""", "phone")]
    [TestCase("POST", "/v1/contacts", """{"phone":"+251911400008","addresses":{"sms":"call me"}}""", "addresses.sms")]
    public async Task An_unparsable_contact_phone_number_is_a_422_naming_the_field(string method, string url, string json, string field)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        var body = await (await _client.SendAsync(request)).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");

        Assert.That(Fields(body), Does.Contain(field));
    }

    [Test]
    public async Task An_imported_row_with_an_unparsable_phone_fails_alone()
    {
        var body = (await (await _client.PostJsonAsync("/v1/contacts/import", new { contacts = new object[] { new { phone = "12345" }, new { phone = "+251911400009" } } }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("created").GetInt32(), Is.EqualTo(1));
            Assert.That(body.GetProperty("failed").GetInt32(), Is.EqualTo(1));
            Assert.That(body.GetProperty("errors")[0].GetProperty("field").GetString(), Is.EqualTo("phone"));
        });
    }

    private static List<string> Fields(JsonElement body) =>
        body.GetProperty("details").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!).ToList();

    private async Task<List<JsonElement>> ListAsync(string query) =>
        (await (await _client.GetAsync($"/v1/suppressions?{query}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();
}
