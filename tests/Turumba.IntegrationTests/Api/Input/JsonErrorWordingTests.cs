using System.Text.RegularExpressions;

namespace Turumba.IntegrationTests.Api.Input;

/// <summary>A 400 for a value of the wrong JSON type says what was expected in JSON terms, never a .NET type name.</summary>
[TestFixture]
public sealed partial class JsonErrorWordingTests
{
    private ApiResources _api = null!;

    [OneTimeSetUp]
    public async Task CreateResourcesAsync() => _api = await ApiResources.CreateAsync("json wording");

    [OneTimeTearDown]
    public void DisposeClient() => _api.Client.Dispose();

    public static IEnumerable<TestCaseData> WrongTypes() =>
    [
        Case("a number for a UUID", "/v1/messages", """{"channel_id":5}""", "'channel_id' must be a UUID"),
        Case("text for a UUID", "/v1/messages", """{"channel_id":"not-a-uuid"}""", "'channel_id' must be a UUID"),
        Case("text for an integer", "/v1/channels?verify=false", """{"name":"c","channel_type":"telegram","credentials":{},"retry_count":"three"}""", "'retry_count' must be an integer"),
        Case("text for a boolean", "/v1/channels?verify=false", """{"name":"c","channel_type":"telegram","credentials":{},"is_enabled":"yes"}""", "'is_enabled' must be true or false"),
        Case("a number for a string map", "/v1/messages", """{"custom_values":5}""", "'custom_values' must be an object whose values are strings"),
        Case("a number inside a string map", "/v1/messages", """{"custom_values":{"name":5}}""", "custom_values.name must be a string"),
        Case("an array for metadata", "/v1/messages", """{"metadata":[1]}""", "'metadata' must be an object"),
        Case("text for a list of UUIDs", "/v1/group-messages", """{"contact_group_ids":"x"}""", "'contact_group_ids' must be an array (each item a UUID"),
        Case("a bad item in a list of UUIDs", "/v1/contact-groups/{group}/members", """{"contact_ids":["x"]}""", "'contact_ids[0]' must be a UUID"),
        Case("text for a date-time", "/v1/messages", """{"scheduled_at":"tomorrow"}""", "'scheduled_at' must be an ISO 8601 date-time"),
        Case("an unknown enum value", "/v1/templates", """{"name":"t","body":"x","fallback_strategy":"nope"}""", "'fallback_strategy' must be one of"),
        Case("a number for a string", "/v1/contacts", """{"first_name":5}""", "'first_name' must be a string"),
        Case("an array for the body", "/v1/contacts", """["a"]""", "The request body must be an object"),
        Case("an unknown field", "/v1/contacts", """{"phone":"+251911000131","favourite":1}""", "'favourite' is not a field of this request"),
        Case("a number for a string in an import", "/v1/contacts/import", """{"contacts":[{"phone":5}]}""", "'contacts[0].phone' must be a string"),
        Case("an unknown field in an import", "/v1/contacts/import", """{"contacts":[{"phone":"+251911000132","nope":1}]}""", "'nope' is not a field of this request"),
        Case("a bad query parameter", "/v1/channels?verify=maybe", """{"name":"c","channel_type":"telegram","credentials":{"bot_token":"1:a"}}""", "'verify' must be true or false"),
        Case("malformed JSON", "/v1/contacts", """{"first_name": """, "not valid JSON"),
    ];

    [TestCaseSource(nameof(WrongTypes))]
    public async Task Wrong_type_is_a_400_in_JSON_terms(string route, string body, string expected)
    {
        var response = await _api.SendAsync("POST", route, body);
        var text = await response.Content.ReadAsStringAsync();
        var message = (await response.ReadJsonAsync()).GetProperty("message").GetString()!;

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400).Or.EqualTo(422), text);
            Assert.That(message, Does.Contain(expected), text);
            Assert.That(ClrTypeName().IsMatch(text), Is.False, $"a .NET type name in: {text}");
        });
    }

    [GeneratedRegex(@"System\.|Microsoft\.|Turumba\.|Int32|Int64|Boolean|JsonElement|JsonObject|JsonNode|Nullable|Guid|DateTimeOffset|\.NET")]
    private static partial Regex ClrTypeName();

    private static TestCaseData Case(string name, string route, string body, string expected) =>
        new TestCaseData(route, body, expected).SetName($"{name} ({route.Split('?')[0]})");
}
