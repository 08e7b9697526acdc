using System.Net;

namespace Turumba.IntegrationTests.Host;

/// <summary>A role decides what an instance serves; health is served by every role.</summary>
[TestFixture]
public sealed class RoleCompositionTests
{
    [Test]
    public async Task Instance_without_the_api_role_serves_no_api_but_health()
    {
        await using var app = new TurumbaApp(roles: "dispatch:telegram,status");
        var account = await app.CreateAccountAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);

        await (await client.GetAsync("/v1/contacts")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Instance_with_the_api_role_serves_the_api()
    {
        await using var app = new TurumbaApp(roles: "api");
        var account = await app.CreateAccountAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);

        await (await client.GetAsync("/v1/contacts")).ExpectAsync(HttpStatusCode.OK);
    }

    [Test]
    public async Task OpenApi_document_describes_the_api()
    {
        using var client = TestServices.App.CreateClient();

        var document = await (await client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);

        Assert.That(document.GetProperty("paths").TryGetProperty("/v1/contacts", out _), Is.True);
    }
}
