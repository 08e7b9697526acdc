using System.Net;
using System.Net.Http.Headers;

namespace Turumba.IntegrationTests.Api;

[TestFixture]
public sealed class AuthenticationTests
{
    [Test]
    public async Task Missing_api_key_gets_401_envelope()
    {
        using var client = TestServices.App.CreateClient();

        var body = await (await client.GetAsync("/v1/contacts")).ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");

        Assert.That(body.GetProperty("message").GetString(), Does.Contain("X-Api-Key"));
    }

    [Test]
    public async Task Wrong_api_key_gets_401_envelope()
    {
        using var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "trb_" + new string('x', 40));

        var body = await (await client.GetAsync("/v1/contacts")).ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");

        Assert.That(body.GetProperty("message").GetString(), Does.Contain("Invalid"));
    }

    [Test]
    public async Task Bearer_authorization_header_is_accepted()
    {
        var account = await TestServices.App.CreateAccountAsync("bearer");
        using var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", account.ApiKey);

        var body = await (await client.GetAsync("/v1/account")).ExpectAsync(HttpStatusCode.OK);

        Assert.That(body.GetProperty("data").GetProperty("id").GetGuid(), Is.EqualTo(account.AccountId));
    }

    [Test]
    public async Task Account_cannot_read_change_or_delete_another_accounts_data()
    {
        using var alice = await TestServices.App.CreateAccountClientAsync("alice");
        using var bob = await TestServices.App.CreateAccountClientAsync("bob");
        var created = await (await alice.PostJsonAsync("/v1/contacts", new { first_name = "Private", phone = "+251911000001" }))
            .ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("data").GetProperty("id").GetGuid();

        await (await bob.GetAsync($"/v1/contacts/{id}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        await (await bob.PatchJsonAsync($"/v1/contacts/{id}", new { first_name = "Stolen" })).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        await (await bob.DeleteAsync($"/v1/contacts/{id}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        var bobsList = await (await bob.GetAsync("/v1/contacts")).ExpectAsync(HttpStatusCode.OK);
        var alicesContact = await (await alice.GetAsync($"/v1/contacts/{id}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(bobsList.GetProperty("meta").GetProperty("total").GetInt64(), Is.Zero);
            Assert.That(alicesContact.GetProperty("data").GetProperty("first_name").GetString(), Is.EqualTo("Private"));
        });
    }

    [Test]
    public async Task Same_phone_may_exist_in_two_accounts()
    {
        using var alice = await TestServices.App.CreateAccountClientAsync("alice");
        using var bob = await TestServices.App.CreateAccountClientAsync("bob");

        await (await alice.PostJsonAsync("/v1/contacts", new { phone = "+251911000002" })).ExpectAsync(HttpStatusCode.Created);
        await (await bob.PostJsonAsync("/v1/contacts", new { phone = "+251911000002" })).ExpectAsync(HttpStatusCode.Created);
    }

    [Test]
    public async Task Gateway_header_is_ignored_unless_trusted_gateway_mode_is_on()
    {
        using var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Add("x-account-ids", Guid.NewGuid().ToString());

        await (await client.GetAsync("/v1/account")).ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Test]
    public async Task Trusted_gateway_mode_scopes_requests_to_the_selected_account()
    {
        await using var app = new TurumbaApp(settings: new Dictionary<string, string?> { ["Turumba:Auth:TrustedGateway"] = "true" });
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("x-account-ids", $"{first},{second}");

        var byDefault = await (await client.GetAsync("/v1/account")).ExpectAsync(HttpStatusCode.OK);
        using var select = new HttpRequestMessage(HttpMethod.Get, "/v1/account");
        select.Headers.Add("x-account-id", second.ToString());
        var selected = await (await client.SendAsync(select)).ExpectAsync(HttpStatusCode.OK);
        using var outside = new HttpRequestMessage(HttpMethod.Get, "/v1/account");
        outside.Headers.Add("x-account-id", Guid.NewGuid().ToString());

        Assert.Multiple(() =>
        {
            Assert.That(byDefault.GetProperty("data").GetProperty("id").GetGuid(), Is.EqualTo(first));
            Assert.That(selected.GetProperty("data").GetProperty("id").GetGuid(), Is.EqualTo(second));
        });
        await (await client.SendAsync(outside)).ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
