using System.Net;

namespace Turumba.IntegrationTests.Api.Input;

/// <summary>
/// Input the API used to accept and then fail on (a 500, or a group send poisoned later): every
/// route refuses it with a 4xx naming the field. JSON bodies are written as text so that a NUL
/// (<c>\u0000</c>) or a null inside a map reaches the server as a client would send it.
/// </summary>
[TestFixture]
public sealed class RefusedInputTests
{
    private const string Colliding = """{"name":"a","NAME":"b"}""";
    private ApiResources _api = null!;

    [OneTimeSetUp]
    public async Task CreateResourcesAsync() => _api = await ApiResources.CreateAsync("refused input");

    [OneTimeTearDown]
    public void DisposeClient() => _api.Client.Dispose();

    public static IEnumerable<TestCaseData> CaseCollidingMaps() =>
    [
        Case("message custom_values", "POST", "/v1/messages", $$"""{"channel_id":"{channel}","delivery_address":"42","template_id":"{template}","custom_values":{{Colliding}}}""", "custom_values"),
        Case("group message custom_values", "POST", "/v1/group-messages", $$"""{"channel_id":"{channel}","contact_group_ids":["{group}"],"template_id":"{template}","custom_values":{{Colliding}}}""", "custom_values"),
        Case("group message edit custom_values", "PATCH", "/v1/group-messages/{draft}", $$"""{"custom_values":{{Colliding}}}""", "custom_values"),
        Case("template default_values", "POST", "/v1/templates", $$"""{"name":"t","body":"Hi {name}","default_values":{{Colliding}}}""", "default_values"),
        Case("template edit default_values", "PATCH", "/v1/templates/{template}", $$"""{"default_values":{{Colliding}}}""", "default_values"),
        Case("preview custom_values", "POST", "/v1/templates/{template}/preview", $$"""{"custom_values":{{Colliding}}}""", "custom_values"),
        Case("contact attributes", "POST", "/v1/contacts", $$"""{"phone":"+251911000101","attributes":{{Colliding}}}""", "attributes"),
        Case("contact edit attributes", "PATCH", "/v1/contacts/{contact}", $$"""{"attributes":{{Colliding}}}""", "attributes"),
        Case("channel credentials", "POST", "/v1/channels?verify=false", """{"name":"c","channel_type":"telegram","credentials":{"bot_token":"1:a","BOT_TOKEN":"2:b"}}""", "credentials"),
        Case("channel edit credentials", "PATCH", "/v1/channels/{channel}?verify=false", """{"credentials":{"bot_token":"1:a","BOT_TOKEN":"2:b"}}""", "credentials"),
        Case("import attributes", "POST", "/v1/contacts/import", $$"""{"contacts":[{"phone":"+251911000102","attributes":{{Colliding}}}]}""", "contacts[0].attributes"),
    ];

    public static IEnumerable<TestCaseData> NulInTextFields() =>
    [
        Case("contact first_name", "POST", "/v1/contacts", """{"phone":"+251911000111","first_name":"a\u0000b"}""", "first_name"),
        Case("contact last_name", "POST", "/v1/contacts", """{"phone":"+251911000112","last_name":"a\u0000b"}""", "last_name"),
        Case("contact email", "POST", "/v1/contacts", """{"email":"a\u0000b@example.com"}""", "email"),
        Case("contact attribute value", "POST", "/v1/contacts", """{"phone":"+251911000113","attributes":{"tier":"a\u0000b"}}""", "attributes.tier"),
        Case("contact attribute key", "POST", "/v1/contacts", """{"phone":"+251911000114","attributes":{"ti\u0000er":"gold"}}""", "attributes"),
        Case("contact address", "POST", "/v1/contacts", """{"addresses":{"telegram":"42\u00004"}}""", "addresses.telegram"),
        Case("contact edit last_name", "PATCH", "/v1/contacts/{contact}", """{"last_name":"a\u0000b"}""", "last_name"),
        Case("import first_name", "POST", "/v1/contacts/import", """{"contacts":[{"phone":"+251911000115","first_name":"a\u0000b"}]}""", "contacts[0].first_name"),
        Case("group name", "POST", "/v1/contact-groups", """{"name":"a\u0000b"}""", "name"),
        Case("group description", "POST", "/v1/contact-groups", """{"name":"g","description":"a\u0000b"}""", "description"),
        Case("group edit description", "PATCH", "/v1/contact-groups/{group}", """{"description":"a\u0000b"}""", "description"),
        Case("channel name", "POST", "/v1/channels?verify=false", """{"name":"a\u0000b","channel_type":"telegram","credentials":{"bot_token":"1:a"}}""", "name"),
        Case("channel sender_name", "POST", "/v1/channels?verify=false", """{"name":"c","sender_name":"a\u0000b","channel_type":"telegram","credentials":{"bot_token":"1:a"}}""", "sender_name"),
        Case("channel credential", "POST", "/v1/channels?verify=false", """{"name":"c","channel_type":"telegram","credentials":{"bot_token":"1:a\u0000"}}""", "credentials.bot_token"),
        Case("channel edit name", "PATCH", "/v1/channels/{channel}?verify=false", """{"name":"a\u0000b"}""", "name"),
        Case("template name", "POST", "/v1/templates", """{"name":"a\u0000b","body":"x"}""", "name"),
        Case("template body", "POST", "/v1/templates", """{"name":"t","body":"a\u0000b"}""", "body"),
        Case("template category", "POST", "/v1/templates", """{"name":"t","body":"x","category":"a\u0000b"}""", "category"),
        Case("template edit body", "PATCH", "/v1/templates/{template}", """{"body":"a\u0000b"}""", "body"),
        Case("preview custom value", "POST", "/v1/templates/{template}/preview", """{"custom_values":{"name":"a\u0000b"}}""", "custom_values.name"),
        Case("message delivery_address", "POST", "/v1/messages", """{"channel_id":"{channel}","delivery_address":"4\u00002","message_body":"x"}""", "delivery_address"),
        Case("message body", "POST", "/v1/messages", """{"channel_id":"{channel}","delivery_address":"42","message_body":"a\u0000b"}""", "message_body"),
        Case("message media_url", "POST", "/v1/messages", """{"channel_id":"{channel}","delivery_address":"42","message_body":"x","media_url":"https://a.example/\u0000"}""", "media_url"),
        Case("message metadata", "POST", "/v1/messages", """{"channel_id":"{channel}","delivery_address":"42","message_body":"x","metadata":{"subject":"a\u0000b"}}""", "metadata.subject"),
        Case("message nested metadata", "POST", "/v1/messages", """{"channel_id":"{channel}","delivery_address":"42","message_body":"x","metadata":{"a":{"b":["c\u0000"]}}}""", "metadata.a.b[0]"),
        Case("message custom value", "POST", "/v1/messages", """{"channel_id":"{channel}","delivery_address":"42","template_id":"{template}","custom_values":{"name":"a\u0000b"}}""", "custom_values.name"),
        Case("message edit metadata", "PATCH", "/v1/messages/{message}", """{"metadata":{"note":"a\u0000b"}}""", "metadata.note"),
        Case("group message name", "POST", "/v1/group-messages", """{"channel_id":"{channel}","contact_group_ids":["{group}"],"message_body":"x","name":"a\u0000b"}""", "name"),
        Case("group message body", "POST", "/v1/group-messages", """{"channel_id":"{channel}","contact_group_ids":["{group}"],"message_body":"a\u0000b"}""", "message_body"),
        Case("group message edit name", "PATCH", "/v1/group-messages/{draft}", """{"name":"a\u0000b"}""", "name"),
    ];

    public static IEnumerable<TestCaseData> NullInStringMaps() =>
    [
        Case("message custom_values", "POST", "/v1/messages", """{"channel_id":"{channel}","delivery_address":"42","template_id":"{template}","custom_values":{"name":null}}""", "custom_values.name"),
        Case("message metadata", "POST", "/v1/messages", """{"channel_id":"{channel}","delivery_address":"42","message_body":"x","metadata":{"subject":null}}""", "metadata.subject"),
        Case("message edit metadata", "PATCH", "/v1/messages/{message}", """{"metadata":{"note":null}}""", "metadata.note"),
        Case("group message custom_values", "POST", "/v1/group-messages", """{"channel_id":"{channel}","contact_group_ids":["{group}"],"template_id":"{template}","custom_values":{"name":null}}""", "custom_values.name"),
        Case("template default_values", "POST", "/v1/templates", """{"name":"t","body":"x","default_values":{"name":null}}""", "default_values.name"),
        Case("preview custom_values", "POST", "/v1/templates/{template}/preview", """{"custom_values":{"name":null}}""", "custom_values.name"),
        Case("channel credentials", "POST", "/v1/channels?verify=false", """{"name":"c","channel_type":"telegram","credentials":{"bot_token":null}}""", "credentials.bot_token"),
        Case("channel edit credentials", "PATCH", "/v1/channels/{channel}?verify=false", """{"credentials":{"bot_token":null}}""", "credentials.bot_token"),
        Case("contact attributes", "POST", "/v1/contacts", """{"phone":"+251911000121","attributes":{"tier":null}}""", "attributes.tier"),
    ];

    public static IEnumerable<TestCaseData> MissingOrOverLong()
    {
        var big = new string('x', 70 * 1024);
        return
        [
            Case("members added without contact_ids", "POST", "/v1/contact-groups/{group}/members", "{}", "contact_ids"),
            Case("members removed without contact_ids", "DELETE", "/v1/contact-groups/{group}/members", "{}", "contact_ids"),
            Case("group message edit name", "PATCH", "/v1/group-messages/{draft}", $$$"""{"name":"{{{new string('n', 201)}}}"}""", "name"),
            Case("message media_url", "POST", "/v1/messages", $$$"""{"channel_id":"{channel}","delivery_address":"42","message_body":"x","media_url":"https://a.example/{{{new string('m', 2100)}}}"}""", "media_url"),
            Case("credential value", "POST", "/v1/channels?verify=false", $$$"""{"name":"c","channel_type":"telegram","credentials":{"bot_token":"1:{{{new string('t', 4100)}}}"}}""", "credentials.bot_token"),
            Case("credential edit value", "PATCH", "/v1/channels/{channel}?verify=false", $$$"""{"credentials":{"bot_token":"1:{{{new string('t', 4100)}}}"}}""", "credentials.bot_token"),
            Case("64 KB of metadata", "POST", "/v1/messages", $$$"""{"channel_id":"{channel}","delivery_address":"42","message_body":"x","metadata":{"note":"{{{big}}}"}}""", "metadata"),
            Case("64 KB of custom_values", "POST", "/v1/messages", $$$"""{"channel_id":"{channel}","delivery_address":"42","template_id":"{template}","custom_values":{"name":"{{{big}}}"}}""", "custom_values"),
            Case("64 KB of credentials", "POST", "/v1/channels?verify=false", $$$"""{"name":"c","channel_type":"telegram","credentials":{"bot_token":"1:a","extra":"{{{big}}}"}}""", "credentials"),
            Case("64 KB of attributes", "PATCH", "/v1/contacts/{contact}", $$$"""{"attributes":{"note":"{{{big}}}"}}""", "attributes"),
        ];
    }

    public static IEnumerable<TestCaseData> NulInFilters() =>
        new[] { "contacts?filter=first_name:eq:a%00b", "contact-groups?filter=name:contains:a%00", "channels?filter=name:eq:%00", "templates?filter=name:icontains:x%00y",
                "messages?filter=delivery_address:eq:4%002", "group-messages?filter=name:eq:a%00b", "contacts?sort=first_name%00:asc" }
            .Select(route => new TestCaseData("/v1/" + route).SetName($"NUL in {route.Split('?')[0]} list query is a 400"));

    [TestCaseSource(nameof(CaseCollidingMaps))]
    public async Task Keys_differing_only_in_case_are_a_422_naming_them(string method, string route, string body, string field)
    {
        var error = await ExpectFieldErrorAsync(method, route, body, field);

        Assert.That(error, Does.Contain("differ only in case").And.Contain(field.Contains("credentials", StringComparison.Ordinal) ? "BOT_TOKEN" : "NAME"));
    }

    [TestCaseSource(nameof(NulInTextFields))]
    public async Task NUL_in_a_text_field_is_a_422_naming_it(string method, string route, string body, string field)
    {
        var error = await ExpectFieldErrorAsync(method, route, body, field);

        Assert.That(error, Does.Contain("NUL"));
    }

    [TestCaseSource(nameof(NullInStringMaps))]
    public async Task Null_inside_a_map_is_a_422_naming_the_key(string method, string route, string body, string field)
    {
        var error = await ExpectFieldErrorAsync(method, route, body, field);

        Assert.That(error, Does.Contain("null"));
    }

    [TestCaseSource(nameof(MissingOrOverLong))]
    public async Task Missing_or_over_long_input_is_a_422_naming_the_field(string method, string route, string body, string field) =>
        await ExpectFieldErrorAsync(method, route, body, field);

    [TestCaseSource(nameof(NulInFilters))]
    public async Task NUL_in_a_list_query_is_a_400(string route)
    {
        var body = await (await _api.Client.GetAsync(route)).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");

        Assert.That(body.GetProperty("message").GetString(), Does.Contain("NUL"));
    }

    [Test]
    public async Task A_body_over_one_MB_is_a_413_envelope()
    {
        var body = $$$"""{"name":"c","channel_type":"telegram","credentials":{"bot_token":"1:{{{new string('t', 1100 * 1024)}}}"}}""";

        var error = await (await _api.SendAsync("POST", "/v1/channels?verify=false", body)).ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        Assert.That(error.GetProperty("message").GetString(), Does.Contain("1048576"));
    }

    [Test]
    public async Task A_blank_delivery_address_with_a_contact_falls_back_to_the_contacts_address()
    {
        var body = """{"channel_id":"{channel}","contact_id":"{contact}","delivery_address":"   ","message_body":"hi"}""";

        var created = (await (await _api.SendAsync("POST", "/v1/messages", body)).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");

        Assert.That(created.GetProperty("delivery_address").GetString(), Is.EqualTo("4242"));
    }

    [Test]
    public async Task A_blank_delivery_address_without_a_contact_is_a_422() =>
        await ExpectFieldErrorAsync("POST", "/v1/messages", """{"channel_id":"{channel}","delivery_address":" \t ","message_body":"hi"}""", "delivery_address");

    [Test]
    public async Task NUL_in_a_CSV_import_fails_that_row_and_stores_nothing_of_it()
    {
        using var csv = new StringContent("first_name,phone\na\u0000b,+251911000151\n", System.Text.Encoding.UTF8, "text/csv");

        var result = (await (await _api.Client.PostAsync("/v1/contacts/import", csv)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("failed").GetInt32(), Is.EqualTo(1));
            Assert.That(result.GetProperty("created").GetInt32(), Is.Zero);
            Assert.That(result.GetProperty("errors")[0].ToString(), Does.Contain("NUL"));
        });
    }

    [Test]
    public async Task Stored_default_values_differing_only_in_case_are_a_409_not_a_500()
    {
        var template = (await (await _api.SendAsync("POST", "/v1/templates", """{"name":"legacy","body":"Hi {name}"}""")).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        await using (var connection = new Npgsql.NpgsqlConnection(TestServices.Postgres))
        {
            await connection.OpenAsync();
            await using var legacy = new Npgsql.NpgsqlCommand("""update messaging.templates set default_values = '{"name":"a","NAME":"b"}' where id = $1""", connection);
            legacy.Parameters.Add(new Npgsql.NpgsqlParameter { Value = template });
            Assert.That(await legacy.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        await (await _api.SendAsync("POST", $"/v1/templates/{template}/preview", "{}")).ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");
        await (await _api.SendAsync("POST", "/v1/messages", $$"""{"channel_id":"{channel}","delivery_address":"42","template_id":"{{template}}"}"""))
            .ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");
    }

    private async Task<string> ExpectFieldErrorAsync(string method, string route, string body, string field)
    {
        var response = await (await _api.SendAsync(method, route, body)).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var errors = response.GetProperty("details").GetProperty("errors").EnumerateArray().ToList();
        Assert.That(errors.Select(e => e.GetProperty("field").GetString()), Does.Contain(field), response.ToString());
        return errors.First(e => e.GetProperty("field").GetString() == field).GetProperty("message").GetString()!;
    }

    private static TestCaseData Case(string name, string method, string route, string body, string field) =>
        new TestCaseData(method, route, body, field).SetName($"{name} ({method} {route.Split('?')[0]})");
}
