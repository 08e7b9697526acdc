using System.Net;

namespace Turumba.IntegrationTests.Contacts;

[TestFixture]
public sealed class ContactsApiTests
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task CreateClientAsync() => _client = await TestServices.App.CreateAccountClientAsync("contacts");

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Create_get_update_delete_round_trip()
    {
        var response = await _client.PostJsonAsync("/v1/contacts", new
        {
            first_name = "Hana",
            last_name = "Bekele",
            phone = "+251911200001",
            email = "Hana@Example.com",
            addresses = new Dictionary<string, string> { ["telegram"] = "123456789" },
            attributes = new Dictionary<string, string> { ["city"] = "Addis Ababa" },
            preferred_channel = "telegram",
        });
        var created = (await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var id = created.GetProperty("id").GetGuid();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/v1/contacts/{id}"));
            Assert.That(created.GetProperty("email").GetString(), Is.EqualTo("hana@example.com"));
            Assert.That(created.GetProperty("addresses").GetProperty("telegram").GetString(), Is.EqualTo("123456789"));
            Assert.That(id.Version, Is.EqualTo(7), "ids are UUIDv7");
        });

        var updated = (await (await _client.PatchJsonAsync($"/v1/contacts/{id}", new { last_name = "Alemu", email = "" }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var fetched = (await (await _client.GetAsync($"/v1/contacts/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        Assert.Multiple(() =>
        {
            Assert.That(updated.GetProperty("last_name").GetString(), Is.EqualTo("Alemu"));
            Assert.That(fetched.GetProperty("first_name").GetString(), Is.EqualTo("Hana"), "fields left out keep their value");
            Assert.That(fetched.GetProperty("email").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "an empty string clears");
            Assert.That(fetched.GetProperty("attributes").GetProperty("city").GetString(), Is.EqualTo("Addis Ababa"));
            Assert.That(fetched.GetProperty("updated_at").GetDateTimeOffset(), Is.GreaterThan(fetched.GetProperty("created_at").GetDateTimeOffset()));
        });

        using var deleted = await _client.DeleteAsync($"/v1/contacts/{id}");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await deleted.Content.ReadAsStringAsync(), Is.Empty);
        await (await _client.GetAsync($"/v1/contacts/{id}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task Duplicate_phone_in_one_account_is_a_409_naming_the_field()
    {
        await (await _client.PostJsonAsync("/v1/contacts", new { phone = "+251911200002" })).ExpectAsync(HttpStatusCode.Created);

        var body = await (await _client.PostJsonAsync("/v1/contacts", new { phone = "+251911200002" }))
            .ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");

        Assert.That(body.GetProperty("details").GetProperty("field").GetString(), Is.EqualTo("phone"));
    }

    [Test]
    public async Task Contact_without_any_address_is_rejected()
    {
        var body = await (await _client.PostJsonAsync("/v1/contacts", new { first_name = "Nobody" }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");

        Assert.That(body.GetProperty("message").GetString(), Does.Contain("at least one way to reach"));
    }

    [Test]
    public async Task Address_for_an_unknown_channel_type_is_rejected()
    {
        await (await _client.PostJsonAsync("/v1/contacts", new { addresses = new Dictionary<string, string> { ["pigeon"] = "coop 4" } }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
    }
}
