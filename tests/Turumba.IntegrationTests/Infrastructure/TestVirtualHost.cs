using System.Net.Http.Headers;
using System.Text;

namespace Turumba.IntegrationTests;

/// <summary>
/// A RabbitMQ virtual host per test run, made through the management API, so runs (and
/// developers' other work on the same broker) never consume each other's messages.
/// </summary>
public static class TestVirtualHost
{
    public static async Task<string> CreateAsync(string amqpUri, string name)
    {
        using var http = Management(amqpUri, out var user);
        (await http.PutAsync($"api/vhosts/{name}", Json("{}"))).EnsureSuccessStatusCode();
        (await http.PutAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}",
            Json("{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}"))).EnsureSuccessStatusCode();
        return new UriBuilder(amqpUri) { Path = "/" + name }.Uri.ToString();
    }

    /// <summary>The names of the queues that exist in the virtual host.</summary>
    public static async Task<IReadOnlyList<string>> QueuesAsync(string amqpUri, string name)
    {
        using var http = Management(amqpUri, out _);
        using var document = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"api/queues/{name}?columns=name"));
        return document.RootElement.EnumerateArray().Select(q => q.GetProperty("name").GetString()!).ToList();
    }

    /// <summary>Each queue of the virtual host as the broker declared it.</summary>
    public static async Task<IReadOnlyList<QueueDeclaration>> QueueDeclarationsAsync(string amqpUri, string name)
    {
        using var http = Management(amqpUri, out _);
        using var document = System.Text.Json.JsonDocument.Parse(
            await http.GetStringAsync($"api/queues/{name}?columns=name,durable,auto_delete,exclusive,arguments"));
        return document.RootElement.EnumerateArray().Select(q => new QueueDeclaration(
            q.GetProperty("name").GetString()!,
            q.GetProperty("arguments").TryGetProperty("x-queue-type", out var type) ? type.GetString() : null,
            q.GetProperty("durable").GetBoolean(),
            q.GetProperty("auto_delete").GetBoolean() || (q.TryGetProperty("exclusive", out var exclusive) && exclusive.GetBoolean()))).ToList();
    }

    /// <summary>Publishes <paramref name="payload"/> to an exchange of the virtual host, as a foreign producer would.</summary>
    public static async Task PublishAsync(string amqpUri, string name, string exchange, string contentType, string payload)
    {
        using var http = Management(amqpUri, out _);
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            properties = new Dictionary<string, object> { ["content_type"] = contentType, ["delivery_mode"] = 2 },
            routing_key = string.Empty,
            payload,
            payload_encoding = "string",
        });
        (await http.PostAsync($"api/exchanges/{name}/{Uri.EscapeDataString(exchange)}/publish", Json(body))).EnsureSuccessStatusCode();
    }

    public static async Task DeleteAsync(string amqpUri, string name)
    {
        using var http = Management(amqpUri, out _);
        using var response = await http.DeleteAsync($"api/vhosts/{name}");
    }

    private static HttpClient Management(string amqpUri, out string user)
    {
        var uri = new Uri(amqpUri);
        var credentials = Uri.UnescapeDataString(uri.UserInfo);
        user = credentials.Split(':')[0];
        var baseUrl = Environment.GetEnvironmentVariable("TURUMBA_RABBITMQ_MANAGEMENT_URL") ?? $"http://{uri.Host}:15672/";
        var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

/// <summary>A queue's declaration: its <c>x-queue-type</c> argument (null when not given) and whether it outlives its connection.</summary>
public sealed record QueueDeclaration(string Name, string? QueueType, bool Durable, bool Temporary);
