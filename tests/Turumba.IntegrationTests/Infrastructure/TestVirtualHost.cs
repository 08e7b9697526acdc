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
