using System.Net;
using System.Text;

namespace Turumba.IntegrationTests.Contacts;

[TestFixture]
public sealed class ContactImportTests
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task CreateClientAsync() => _client = await TestServices.App.CreateAccountClientAsync("import");

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Csv_import_creates_upserts_reports_bad_rows_and_adds_to_groups()
    {
        var group = (await (await _client.PostJsonAsync("/v1/contact-groups", new { name = "Imported" })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        await (await _client.PostJsonAsync("/v1/contacts", new { first_name = "Old", phone = "+251911400001" })).ExpectAsync(HttpStatusCode.Created);
        const string csv = """"
            first_name,last_name,phone,email,address.telegram,attribute.city
            Abebe,Kebede,+251911400001,,555001,Addis Ababa
            "Tesfaye, Jr.",Alemu,+251911400002,tesfaye@example.com,,"Bahir ""Dar"""
            Broken,Row,0911,,,
            Nobody,Reachable,,,,
            """";
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");

        var result = (await (await _client.PostAsync($"/v1/contacts/import?group_ids={group}", content)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var abebe = (await (await _client.GetAsync("/v1/contacts?filter=phone:eq:%2B251911400001")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data")[0];
        var tesfaye = (await (await _client.GetAsync("/v1/contacts?filter=email:eq:tesfaye@example.com")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data")[0];
        var groupAfter = (await (await _client.GetAsync($"/v1/contact-groups/{group}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("created").GetInt32(), Is.EqualTo(1));
            Assert.That(result.GetProperty("updated").GetInt32(), Is.EqualTo(1));
            Assert.That(result.GetProperty("failed").GetInt32(), Is.EqualTo(2));
            Assert.That(result.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("row").GetInt32()).Distinct(), Is.EqualTo(new[] { 3, 4 }));
            Assert.That(abebe.GetProperty("first_name").GetString(), Is.EqualTo("Abebe"), "the phone matched the existing contact");
            Assert.That(abebe.GetProperty("addresses").GetProperty("telegram").GetString(), Is.EqualTo("555001"));
            Assert.That(tesfaye.GetProperty("first_name").GetString(), Is.EqualTo("Tesfaye, Jr."));
            Assert.That(tesfaye.GetProperty("attributes").GetProperty("city").GetString(), Is.EqualTo("Bahir \"Dar\""));
            Assert.That(groupAfter.GetProperty("member_count").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Json_import_of_thousands_of_rows_lands_in_one_request()
    {
        var rows = Enumerable.Range(0, 3000).Select(i => new { first_name = $"Bulk{i}", phone = $"+2519125{i:D5}" }).ToList();

        var result = (await (await _client.PostJsonAsync("/v1/contacts/import", rows)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var again = (await (await _client.PostJsonAsync("/v1/contacts/import", new { contacts = rows.Take(10) })).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var total = (await (await _client.GetAsync("/v1/contacts?limit=1")).ExpectAsync(HttpStatusCode.OK)).GetProperty("meta").GetProperty("total").GetInt64();

        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("created").GetInt32(), Is.EqualTo(3000));
            Assert.That(again.GetProperty("updated").GetInt32(), Is.EqualTo(10), "importing again upserts");
            Assert.That(total, Is.EqualTo(3000));
        });
    }

    [Test]
    public async Task Import_into_an_unknown_group_is_rejected_and_imports_nothing()
    {
        var body = await (await _client.PostJsonAsync("/v1/contacts/import", new { contacts = new[] { new { phone = "+251911400900" } }, group_ids = new[] { Guid.NewGuid() } }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var total = (await (await _client.GetAsync("/v1/contacts")).ExpectAsync(HttpStatusCode.OK)).GetProperty("meta").GetProperty("total").GetInt64();

        Assert.That(body.GetProperty("message").GetString(), Does.Contain("No contact group"));
        Assert.That(total, Is.Zero);
    }

    [Test]
    public async Task Csv_with_unknown_column_or_wrong_content_type_is_rejected()
    {
        using var csv = new StringContent("name,phone\nA,+251911400950\n", Encoding.UTF8, "text/csv");
        using var xml = new StringContent("<contacts/>", Encoding.UTF8, "application/xml");

        var body = await (await _client.PostAsync("/v1/contacts/import", csv)).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await _client.PostAsync("/v1/contacts/import", xml)).ExpectErrorAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        Assert.That(body.GetProperty("message").GetString(), Does.Contain("name"));
    }
}
