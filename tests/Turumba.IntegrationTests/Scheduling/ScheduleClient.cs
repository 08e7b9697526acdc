using System.Net;
using System.Text.Json;

namespace Turumba.IntegrationTests.Scheduling;

/// <summary>What scheduling tests do through the API.</summary>
internal sealed class ScheduleClient(HttpClient client, TimeProvider clock)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public HttpClient Http => client;

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<Guid> CreateChannelAsync(string apiBaseUrl, string? token = null) =>
        (await (await client.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "schedule bot " + Guid.NewGuid().ToString("N")[..6],
            channel_type = "telegram",
            credentials = new Dictionary<string, string>
            {
                ["bot_token"] = token ?? $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}",
                ["api_base_url"] = apiBaseUrl,
            },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

    public async Task<JsonElement> CreateAsync(object body) =>
        (await (await client.PostJsonAsync("/v1/scheduled-messages", body)).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");

    public async Task<JsonElement> GetAsync(Guid id) =>
        (await (await client.GetAsync($"/v1/scheduled-messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

    public async Task<JsonElement> PatchAsync(Guid id, object body) =>
        (await (await client.PatchJsonAsync($"/v1/scheduled-messages/{id}", body)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

    /// <summary>Asserts a 422 whose errors name <paramref name="field"/>.</summary>
    public async Task ExpectInvalidAsync(object body, string field)
    {
        var error = await (await client.PostJsonAsync("/v1/scheduled-messages", body)).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var fields = error.GetProperty("details").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.That(fields, Does.Contain(field), error.ToString());
    }

    public async Task<JsonElement> WaitForAsync(Guid id, Func<JsonElement, bool> condition, string what)
    {
        JsonElement schedule = default;
        await Eventually.WaitAsync(async () => condition(schedule = await GetAsync(id)), Deadline, $"schedule {id}: {what}");
        return schedule;
    }

    public async Task<JsonElement> WaitForMessageAsync(Guid id, string status)
    {
        JsonElement message = default;
        await Eventually.WaitAsync(async () =>
            (message = (await (await client.GetAsync($"/v1/messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data"))
                .GetProperty("status").GetString() == status,
            Deadline, $"message {id} to be {status}");
        return message;
    }
}
