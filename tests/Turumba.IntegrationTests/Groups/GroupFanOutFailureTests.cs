using System.Net;
using Npgsql;

namespace Turumba.IntegrationTests.Groups;

/// <summary>A fan-out that cannot succeed ends its send failed, with the reason, instead of leaving it processing.</summary>
[TestFixture]
public sealed class GroupFanOutFailureTests
{
    [Test]
    public async Task Stored_values_the_renderer_refuses_end_the_send_failed_with_the_reason()
    {
        using var client = await TestServices.App.CreateAccountClientAsync("poisoned fan-out");
        var channel = await CreatedIdAsync(client, "/v1/channels?verify=false", new
        {
            name = "poison bot",
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = "12345:poison", ["api_base_url"] = "http://127.0.0.1:9/" },
        });
        var group = await CreatedIdAsync(client, "/v1/contact-groups", new { name = "poison group" });
        var draft = await CreatedIdAsync(client, "/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, message_body = "Hi {name}" });
        // What the API now refuses, as a row stored before it did would hold it.
        await using (var connection = new NpgsqlConnection(TestServices.Postgres))
        {
            await connection.OpenAsync();
            await using var poison = new NpgsqlCommand("""update groups.group_messages set custom_values = '{"name":"a","NAME":"b"}' where id = $1""", connection);
            poison.Parameters.Add(new NpgsqlParameter { Value = draft });
            Assert.That(await poison.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        await (await client.PatchJsonAsync($"/v1/group-messages/{draft}", new { status = "queued" })).ExpectAsync(HttpStatusCode.OK);

        // Well inside the minutes the fan-out's retries would take.
        var deadline = TimeSpan.FromSeconds(20);
        await Eventually.WaitAsync(async () => (await GetAsync(client, draft)).GetProperty("data").GetProperty("status").GetString() == "failed", deadline, "the send to fail");
        var saga = (await (await client.GetAsync($"/v1/group-messages/{draft}/saga")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        Assert.That(saga.ToString(), Does.Contain("differ only in case"));
    }

    private static async Task<System.Text.Json.JsonElement> GetAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/v1/group-messages/{id}")).ExpectAsync(HttpStatusCode.OK);

    private static async Task<Guid> CreatedIdAsync(HttpClient client, string route, object body) =>
        (await (await client.PostJsonAsync(route, body)).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
}
