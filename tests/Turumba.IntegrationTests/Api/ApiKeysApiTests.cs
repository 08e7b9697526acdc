using System.Net;

namespace Turumba.IntegrationTests.Api;

/// <summary><c>/v1/api-keys</c>: an account rotates its keys itself.</summary>
[TestFixture]
public sealed class ApiKeysApiTests
{
    [Test]
    public async Task Key_is_shown_once_listed_by_prefix_and_refused_at_once_after_revoking()
    {
        using var client = await TestServices.App.CreateAccountClientAsync("key-rotation");
        var created = (await (await client.PostJsonAsync("/v1/api-keys", new { name = "deploy" })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var key = created.GetProperty("key").GetString()!;
        using var rotated = TestServices.App.CreateClient();
        rotated.DefaultRequestHeaders.Add("X-Api-Key", key);
        await (await rotated.GetAsync("/v1/account")).ExpectAsync(HttpStatusCode.OK);

        var listed = (await (await rotated.GetAsync("/v1/api-keys")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();
        var original = listed.Single(k => k.GetProperty("name").GetString() != "deploy");
        await (await rotated.DeleteAsync($"/v1/api-keys/{original.GetProperty("id").GetGuid()}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Multiple(async () =>
        {
            Assert.That(listed.Select(k => k.GetProperty("prefix").GetString()), Has.Member(key[..12]));
            Assert.That(listed.Any(k => k.TryGetProperty("key", out _)), Is.False, "a listing never shows a key");
            Assert.That(listed.Single(k => k.GetProperty("name").GetString() == "deploy").GetProperty("last_used_at").ValueKind, Is.Not.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That((await client.GetAsync("/v1/account")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "revoked: refused at once on this instance");
            Assert.That((await rotated.GetAsync("/v1/account")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task The_last_active_key_cannot_be_revoked_and_a_name_is_required()
    {
        using var client = await TestServices.App.CreateAccountClientAsync("last-key");
        var only = (await (await client.GetAsync("/v1/api-keys")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data")[0].GetProperty("id").GetGuid();

        await (await client.DeleteAsync($"/v1/api-keys/{only}")).ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");
        await (await client.PostJsonAsync("/v1/api-keys", new { name = "" })).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        await (await client.DeleteAsync($"/v1/api-keys/{Guid.NewGuid()}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
    }
}
