using System.Net;
using System.Text.Json;

namespace Turumba.IntegrationTests.Contacts;

[TestFixture]
public sealed class ContactGroupsApiTests
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task CreateClientAsync() => _client = await TestServices.App.CreateAccountClientAsync("groups");

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Members_are_added_and_removed_in_bulk_and_counted()
    {
        var group = await CreateGroupAsync("Customers");
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CreateContactAsync($"+25191130000{i}"));
        }

        var unknown = Guid.NewGuid();
        var added = (await (await _client.PostJsonAsync($"/v1/contact-groups/{group}/members", new { contact_ids = ids.Append(unknown).Append(ids[0]) }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var again = (await (await _client.PostJsonAsync($"/v1/contact-groups/{group}/members", new { contact_ids = ids }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        using var removeRequest = new HttpRequestMessage(HttpMethod.Delete, $"/v1/contact-groups/{group}/members")
        {
            Content = JsonContent(new { contact_ids = new[] { ids[1] } }),
        };
        var removed = (await (await _client.SendAsync(removeRequest)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var fetched = (await (await _client.GetAsync($"/v1/contact-groups/{group}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var members = await (await _client.GetAsync($"/v1/contact-groups/{group}/members")).ExpectAsync(HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(added.GetProperty("added").GetInt32(), Is.EqualTo(3));
            Assert.That(added.GetProperty("not_found").EnumerateArray().Select(e => e.GetGuid()), Is.EqualTo(new[] { unknown }));
            Assert.That(again.GetProperty("added").GetInt32(), Is.Zero, "adding members twice changes nothing");
            Assert.That(removed.GetProperty("removed").GetInt32(), Is.EqualTo(1));
            Assert.That(fetched.GetProperty("member_count").GetInt32(), Is.EqualTo(2));
            Assert.That(members.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()),
                Is.EquivalentTo(new[] { ids[0], ids[2] }));
        });
    }

    [Test]
    public async Task Contacts_of_another_account_cannot_be_added()
    {
        using var other = await TestServices.App.CreateAccountClientAsync("other");
        var foreign = (await (await other.PostJsonAsync("/v1/contacts", new { phone = "+251911300100" })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        var group = await CreateGroupAsync("Mine");

        var result = (await (await _client.PostJsonAsync($"/v1/contact-groups/{group}/members", new { contact_ids = new[] { foreign } }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.That(result.GetProperty("added").GetInt32(), Is.Zero);
        await (await other.PostJsonAsync($"/v1/contact-groups/{group}/members", new { contact_ids = new[] { foreign } }))
            .ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task Group_names_are_unique_per_account_and_groups_are_filterable()
    {
        await CreateGroupAsync("VIP");
        await (await _client.PostJsonAsync("/v1/contact-groups", new { name = "VIP" })).ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");
        await (await _client.PostJsonAsync("/v1/contact-groups", new { name = "" })).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");

        var list = await (await _client.GetAsync("/v1/contact-groups?filter=name:icontains:vi")).ExpectAsync(HttpStatusCode.OK);

        Assert.That(list.GetProperty("meta").GetProperty("total").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public async Task Deleting_a_group_keeps_its_contacts()
    {
        var group = await CreateGroupAsync("Temporary");
        var contact = await CreateContactAsync("+251911300200");
        await (await _client.PostJsonAsync($"/v1/contact-groups/{group}/members", new { contact_ids = new[] { contact } })).ExpectAsync(HttpStatusCode.OK);

        Assert.That((await _client.DeleteAsync($"/v1/contact-groups/{group}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await _client.GetAsync($"/v1/contacts/{contact}")).ExpectAsync(HttpStatusCode.OK);
        await (await _client.GetAsync($"/v1/contact-groups/{group}/members")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    private async Task<Guid> CreateGroupAsync(string name) =>
        (await (await _client.PostJsonAsync("/v1/contact-groups", new { name })).ExpectAsync(HttpStatusCode.Created))
        .GetProperty("data").GetProperty("id").GetGuid();

    private async Task<Guid> CreateContactAsync(string phone) =>
        (await (await _client.PostJsonAsync("/v1/contacts", new { phone })).ExpectAsync(HttpStatusCode.Created))
        .GetProperty("data").GetProperty("id").GetGuid();

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
