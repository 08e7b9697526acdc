using System.Net;

namespace Turumba.IntegrationTests.Api.Input;

/// <summary>Two requests racing on one resource: the loser gets a 404 or a 409, never a 500.</summary>
[TestFixture]
public sealed class ConcurrentChangeTests
{
    private const int Rounds = 8;
    private static readonly HttpStatusCode[] Allowed = [HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.Conflict];
    private ApiResources _api = null!;

    [OneTimeSetUp]
    public async Task CreateResourcesAsync() => _api = await ApiResources.CreateAsync("races");

    [OneTimeTearDown]
    public void DisposeClient() => _api.Client.Dispose();

    public static IEnumerable<TestCaseData> Resources() =>
    [
        new TestCaseData("contacts", """{"phone":"+251911000141"}""", """{"first_name":"changed"}""").SetName("contact"),
        new TestCaseData("contact-groups", """{"name":"race"}""", """{"description":"changed"}""").SetName("contact group"),
        new TestCaseData("templates", """{"name":"race","body":"x"}""", """{"body":"changed"}""").SetName("template"),
        new TestCaseData("channels?verify=false", """{"name":"race","channel_type":"telegram","credentials":{"bot_token":"1:race","api_base_url":"http://127.0.0.1:9/"}}""", """{"name":"changed"}""").SetName("channel"),
        new TestCaseData("group-messages", """{"channel_id":"{channel}","contact_group_ids":["{group}"],"message_body":"race"}""", """{"name":"changed"}""").SetName("group message draft"),
    ];

    [TestCaseSource(nameof(Resources))]
    public async Task Patch_racing_delete_is_never_a_500(string resource, string create, string patch)
    {
        for (var round = 0; round < Rounds; round++)
        {
            var route = await CreateAsync(resource, create);
            var answers = await Task.WhenAll(_api.SendAsync("PATCH", route, patch), _api.SendAsync("DELETE", route, null));

            await ExpectAllowedAsync(answers);
            Assert.That(answers[1].StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "the delete wins or goes second; either way it deletes");
        }
    }

    public static IEnumerable<TestCaseData> Creatable() =>
        Resources().Select(c => new TestCaseData(c.Arguments[0], c.Arguments[1]).SetName(c.TestName!));

    [TestCaseSource(nameof(Creatable))]
    public async Task Delete_racing_delete_deletes_once_and_is_never_a_500(string resource, string create)
    {
        for (var round = 0; round < Rounds; round++)
        {
            var route = await CreateAsync(resource, create);
            var answers = await Task.WhenAll(_api.SendAsync("DELETE", route, null), _api.SendAsync("DELETE", route, null));

            await ExpectAllowedAsync(answers);
            Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.NoContent), Is.EqualTo(1), "exactly one delete succeeds");
        }
    }

    private async Task<string> CreateAsync(string resource, string body)
    {
        var created = await (await _api.SendAsync("POST", "/v1/" + resource, body)).ExpectAsync(HttpStatusCode.Created);
        var path = resource.Split('?');
        return $"/v1/{path[0]}/{created.GetProperty("data").GetProperty("id").GetGuid()}{(path.Length > 1 ? "?" + path[1] : string.Empty)}";
    }

    private static async Task ExpectAllowedAsync(HttpResponseMessage[] answers)
    {
        foreach (var answer in answers)
        {
            Assert.That(Allowed, Does.Contain(answer.StatusCode), await answer.Content.ReadAsStringAsync());
        }
    }
}
