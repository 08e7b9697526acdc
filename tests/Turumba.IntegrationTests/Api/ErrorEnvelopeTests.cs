using System.Net;
using System.Text;

namespace Turumba.IntegrationTests.Api;

[TestFixture]
public sealed class ErrorEnvelopeTests
{
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task CreateClientAsync() => _client = await TestServices.App.CreateAccountClientAsync("errors");

    [OneTimeTearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Unknown_route_is_a_404_envelope()
    {
        var body = await (await _client.GetAsync("/v1/no-such-thing")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");

        Assert.That(body.GetProperty("message").GetString(), Does.Contain("/v1/no-such-thing"));
    }

    [Test]
    public async Task Wrong_method_is_a_405_envelope()
    {
        await (await _client.PutAsync("/v1/contacts", new StringContent("{}", Encoding.UTF8, "application/json")))
            .ExpectErrorAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Test]
    public async Task Malformed_json_is_a_400_envelope()
    {
        using var content = new StringContent("{\"first_name\": ", Encoding.UTF8, "application/json");

        var body = await (await _client.PostAsync("/v1/contacts", content)).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");

        Assert.That(body.GetProperty("message").GetString(), Does.Contain("not valid JSON"));
    }

    [Test]
    public async Task Unknown_field_is_a_400_naming_it()
    {
        var body = await (await _client.PostJsonAsync("/v1/contacts", new { phone = "+251911000010", favourite_colour = "blue" }))
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");

        Assert.That(body.GetProperty("message").GetString(), Does.Contain("favourite_colour"));
    }

    [Test]
    public async Task Validation_failure_is_a_422_with_field_errors()
    {
        var body = await (await _client.PostJsonAsync("/v1/contacts", new { phone = "0911", email = "not-an-email" }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");

        var fields = body.GetProperty("details").GetProperty("errors").EnumerateArray()
            .Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.That(fields, Is.SupersetOf(new[] { "phone", "email" }));
    }

    [Test]
    public async Task Malformed_id_in_route_is_a_404_envelope()
    {
        await (await _client.GetAsync("/v1/contacts/not-a-uuid")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
    }
}
