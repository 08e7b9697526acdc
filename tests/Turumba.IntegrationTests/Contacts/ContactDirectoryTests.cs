using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Contacts;

namespace Turumba.IntegrationTests.Contacts;

[TestFixture]
public sealed class ContactDirectoryTests
{
    [Test]
    public async Task Directory_pages_distinct_members_of_several_groups_minus_excluded_in_stable_order()
    {
        var account = await TestServices.App.CreateAccountAsync("directory");
        using var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);
        var rows = Enumerable.Range(0, 25).Select(i => new { first_name = $"D{i}", phone = $"+2519126{i:D5}" }).ToList();
        var ids = (await (await client.PostJsonAsync("/v1/contacts/import", rows)).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("data").GetProperty("contact_ids").EnumerateArray().Select(e => e.GetGuid()).ToList();
        var groupA = await CreateGroupWithAsync(client, "A", ids.Take(15));
        var groupB = await CreateGroupWithAsync(client, "B", ids.Skip(10));
        var excluded = new[] { ids[3], ids[20] };
        var directory = TestServices.App.Services.GetRequiredService<IContactDirectory>();

        var walked = new List<Guid>();
        Guid? cursor = null;
        var pages = 0;
        do
        {
            var page = await directory.GetGroupMembersAsync(account.AccountId, [groupA, groupB], excluded, cursor, null, 7, CancellationToken.None);
            walked.AddRange(page.Contacts.Select(c => c.Id));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);

        Assert.Multiple(() =>
        {
            Assert.That(walked, Is.EquivalentTo(ids.Except(excluded)), "every member once, overlaps removed");
            Assert.That(walked, Is.Ordered.Using<Guid>(Comparer<Guid>.Create(CompareAsPostgres)));
            Assert.That(pages, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Directory_finds_a_contact_by_channel_address()
    {
        var account = await TestServices.App.CreateAccountAsync("lookup");
        using var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);
        var id = (await (await client.PostJsonAsync("/v1/contacts", new { phone = "+251911500001", email = "x@example.com", addresses = new Dictionary<string, string> { ["telegram"] = "777" } }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var directory = TestServices.App.Services.GetRequiredService<IContactDirectory>();

        Assert.Multiple(async () =>
        {
            Assert.That((await directory.FindByAddressAsync(account.AccountId, "telegram", "777", default))?.Id, Is.EqualTo(id));
            Assert.That((await directory.FindByAddressAsync(account.AccountId, "sms", "+251911500001", default))?.Id, Is.EqualTo(id));
            Assert.That((await directory.FindByAddressAsync(account.AccountId, "email", "X@example.com", default))?.Id, Is.EqualTo(id));
            Assert.That(await directory.FindByAddressAsync(account.AccountId, "telegram", "+251911500001", default), Is.Null);
            Assert.That(await directory.FindByAddressAsync(Guid.NewGuid(), "telegram", "777", default), Is.Null, "scoped to the account");
        });
    }

    private static async Task<Guid> CreateGroupWithAsync(HttpClient client, string name, IEnumerable<Guid> members)
    {
        var group = (await (await client.PostJsonAsync("/v1/contact-groups", new { name })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        await (await client.PostJsonAsync($"/v1/contact-groups/{group}/members", new { contact_ids = members })).ExpectAsync(HttpStatusCode.OK);
        return group;
    }

    // PostgreSQL orders uuids by their bytes in RFC 4122 (big-endian) order.
    private static int CompareAsPostgres(Guid a, Guid b) =>
        a.ToByteArray(bigEndian: true).AsSpan().SequenceCompareTo(b.ToByteArray(bigEndian: true));
}
