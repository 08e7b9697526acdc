using System.Net;
using System.Text.Json;
using Npgsql;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Groups;

/// <summary>What group-send tests do through the API and check in the database.</summary>
internal sealed class GroupSendClient(HttpClient client, string postgres, SimulatorHost simulator)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public HttpClient Http => client;

    public async Task<(Guid Channel, string Token)> CreateChannelAsync(int retryCount = 3)
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var id = (await (await client.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "group bot " + token[..6],
            channel_type = "telegram",
            retry_count = retryCount,
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        return (id, token);
    }

    /// <summary>A group of <paramref name="count"/> new contacts, imported 10,000 at a time.</summary>
    public async Task<Guid> CreateGroupOfAsync(int count)
    {
        var group = (await (await client.PostJsonAsync("/v1/contact-groups", new { name = "bulk " + Guid.NewGuid().ToString("N")[..8] })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        var prefix = Random.Shared.Next(10, 99);
        for (var start = 0; start < count; start += 10_000)
        {
            var rows = Enumerable.Range(start, Math.Min(10_000, count - start)).Select(i => new
            {
                first_name = $"C{i}",
                phone = $"+2519{prefix}{i:D6}",
                addresses = new Dictionary<string, string> { ["telegram"] = $"{prefix}{i:D7}" },
            });
            await (await client.PostJsonAsync("/v1/contacts/import", new { contacts = rows, group_ids = new[] { group } })).ExpectAsync(HttpStatusCode.OK);
        }

        return group;
    }

    public async Task<Guid> QueueAsync(Guid channel, Guid group, string body = "Hi {FIRST_NAME}") =>
        (await (await client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, message_body = body, status = "queued" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

    public async Task<JsonElement> GetAsync(Guid id) =>
        (await (await client.GetAsync($"/v1/group-messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

    public async Task<JsonElement> GetSagaAsync(Guid id) =>
        (await (await client.GetAsync($"/v1/group-messages/{id}/saga")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

    public async Task<JsonElement> WaitForStatusAsync(Guid id, string status)
    {
        JsonElement group = default;
        await Eventually.WaitAsync(async () => (group = await GetAsync(id)).GetProperty("status").GetString() == status, Deadline, $"group message {id} to be {status}");
        return group;
    }

    /// <summary>The send's messages counted by status in the table, bucketed like the API's counters.</summary>
    public async Task<Dictionary<string, long>> CountByBucketAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select case when status in ('queued', 'sending', 'scheduled') then 'pending'
                        when status in ('delivered', 'read') then 'delivered'
                        when status in ('failed', 'permanently_failed') then 'failed'
                        else status end, count(*)
              from messaging.messages where group_message_id = $1 group by 1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        var counts = new Dictionary<string, long> { ["pending"] = 0, ["sent"] = 0, ["delivered"] = 0, ["failed"] = 0, ["cancelled"] = 0 };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    public async Task<long> ScalarAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public int SendsFor(string token) => simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token);
}
