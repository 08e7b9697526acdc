using System.Net;
using System.Net.Http.Json;

namespace Turumba.IntegrationTests.Api;

[TestFixture]
public sealed class IdempotencyTests
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task CreateClientAsync() => _client = await TestServices.App.CreateAccountClientAsync("idempotency");

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Repeated_request_with_the_same_key_returns_the_first_result_and_creates_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var body = new { first_name = "Once", phone = "+251911800001" };

        using var first = await PostAsync(key, body);
        using var second = await PostAsync(key, body);
        var firstBody = await first.ExpectAsync(HttpStatusCode.Created);
        var secondBody = await second.ExpectAsync(HttpStatusCode.Created);
        var total = (await (await _client.GetAsync("/v1/contacts")).ExpectAsync(HttpStatusCode.OK)).GetProperty("meta").GetProperty("total").GetInt64();

        Assert.Multiple(() =>
        {
            Assert.That(secondBody.GetProperty("data").GetProperty("id").GetGuid(), Is.EqualTo(firstBody.GetProperty("data").GetProperty("id").GetGuid()));
            Assert.That(second.Headers.Location, Is.EqualTo(first.Headers.Location));
            Assert.That(second.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
            Assert.That(total, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Concurrent_requests_with_one_key_create_one_contact()
    {
        var key = Guid.NewGuid().ToString();
        var body = new { phone = "+251911800002" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(key, body)));
        var ids = new HashSet<Guid>();
        foreach (var response in responses)
        {
            ids.Add((await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid());
            response.Dispose();
        }

        Assert.That(ids, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Same_key_with_a_different_request_is_refused()
    {
        var key = Guid.NewGuid().ToString();
        (await PostAsync(key, new { phone = "+251911800003" })).Dispose();

        using var other = await PostAsync(key, new { phone = "+251911800004" });

        var error = await other.ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        Assert.That(error.GetProperty("message").GetString(), Does.Contain("different request"));
    }

    [Test]
    public async Task A_failed_request_does_not_use_up_its_key()
    {
        var key = Guid.NewGuid().ToString();
        await (await _client.PostJsonAsync("/v1/contacts", new { phone = "+251911800005" })).ExpectAsync(HttpStatusCode.Created);

        using var conflict = await PostAsync(key, new { phone = "+251911800005" });
        await conflict.ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");
        using var retry = await PostAsync(key, new { phone = "+251911800005" });

        await retry.ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");
    }

    [Test]
    public async Task Keys_are_per_account()
    {
        var key = Guid.NewGuid().ToString();
        using var other = await TestServices.App.CreateAccountClientAsync("other");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/contacts") { Content = JsonContent.Create(new { phone = "+251911800006" }) };
        request.Headers.Add("Idempotency-Key", key);

        await (await PostAsync(key, new { phone = "+251911800006" })).ExpectAsync(HttpStatusCode.Created);
        var theirs = await (await other.SendAsync(request)).ExpectAsync(HttpStatusCode.Created);

        Assert.That(theirs.GetProperty("data").GetProperty("account_id").GetGuid(), Is.Not.EqualTo(Guid.Empty));
    }

    private Task<HttpResponseMessage> PostAsync(string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/contacts") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return _client.SendAsync(request);
    }
}
