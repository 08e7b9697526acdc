using System.Net;
using System.Text.Json;

namespace Turumba.IntegrationTests.Api;

[TestFixture]
public sealed class ListQueryTests
{
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _client = await TestServices.App.CreateAccountClientAsync("lists");
        foreach (var (first, last, phone) in new[]
                 {
                     ("Abebe", "Kebede", "+251911100001"), ("Almaz", "Tesfaye", "+251911100002"),
                     ("Dawit", "Abebe", "+251911100003"), ("Sara", "Mulugeta", "+251911100004"),
                     ("Abel", "Girma", "+251911100005"),
                 })
        {
            await (await _client.PostJsonAsync("/v1/contacts", new { first_name = first, last_name = last, phone })).ExpectAsync(HttpStatusCode.Created);
        }
    }

    [OneTimeTearDown]
    public void DisposeClient() => _client.Dispose();

    [TestCase("filter=first_name:eq:Abebe", new[] { "Abebe" })]
    [TestCase("filter=first_name:icontains:ABE", new[] { "Abebe", "Abel" })]
    [TestCase("filter=first_name:contains:Abe", new[] { "Abebe", "Abel" })]
    [TestCase("filter=first_name:contains:abe", new string[0])]
    [TestCase("filter=first_name:in:Sara,Dawit", new[] { "Dawit", "Sara" })]
    [TestCase("filter=phone:contains:10000&filter=last_name:icontains:e", new[] { "Abebe", "Almaz", "Dawit", "Sara" })]
    [TestCase("filter=first_name:contains:%25", new string[0])]
    public async Task Filters_select_matching_contacts(string query, string[] expected)
    {
        var names = await FirstNamesAsync($"/v1/contacts?{query}&sort=first_name:asc");

        Assert.That(names, Is.EqualTo(expected));
    }

    [Test]
    public async Task Sort_skip_and_limit_page_through_results()
    {
        var body = await (await _client.GetAsync("/v1/contacts?sort=first_name:desc&skip=1&limit=2")).ExpectAsync(HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(Names(body), Is.EqualTo(new[] { "Dawit", "Almaz" }));
            Assert.That(body.GetProperty("meta").GetProperty("total").GetInt64(), Is.EqualTo(5));
            Assert.That(body.GetProperty("meta").GetProperty("skip").GetInt32(), Is.EqualTo(1));
            Assert.That(body.GetProperty("meta").GetProperty("limit").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Created_at_range_filter_accepts_iso_dates()
    {
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));

        var names = await FirstNamesAsync($"/v1/contacts?filter=created_at:range:{from},{to}");

        Assert.That(names, Has.Count.EqualTo(5));
    }

    [TestCase("filter=password:eq:x", "password")]
    [TestCase("filter=first_name:ge:A", "ge")]
    [TestCase("filter=first_name:regex:A", "regex")]
    [TestCase("filter=created_at:ge:yesterday", "yesterday")]
    [TestCase("filter=created_at:range:2026-01-01", "two comma-separated bounds")]
    [TestCase("filter=id:eq:42", "UUID")]
    [TestCase("filter=first_name", "field:operator:value")]
    [TestCase("sort=password:asc", "password")]
    [TestCase("sort=first_name:sideways", "asc")]
    [TestCase("limit=100000", "limit")]
    [TestCase("skip=-1", "skip")]
    public async Task Bad_query_is_a_400_naming_the_problem(string query, string mentioned)
    {
        var body = await (await _client.GetAsync($"/v1/contacts?{query}")).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");

        Assert.That(body.GetProperty("message").GetString(), Does.Contain(mentioned));
    }

    private async Task<List<string?>> FirstNamesAsync(string url) =>
        Names(await (await _client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK));

    private static List<string?> Names(JsonElement body) =>
        body.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("first_name").GetString()).ToList();
}
