using System.Net;
using System.Net.Sockets;

namespace Turumba.IntegrationTests.Api.Input;

/// <summary>With PostgreSQL unreachable the API answers 503 with Retry-After, in the envelope, instead of a 500.</summary>
[TestFixture]
public sealed class DatabaseUnavailableTests
{
    [Test]
    public async Task Requests_are_answered_503_with_retry_after_while_the_database_is_unreachable()
    {
        await using var app = new TurumbaApp(roles: "api", settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = $"Host=127.0.0.1;Port={FreePort()};Database=turumba;Username=turumba;Password=none;Timeout=2",
        });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "tk_" + new string('a', 40));

        foreach (var request in new[] { client.GetAsync("/v1/contacts"), client.PostJsonAsync("/v1/contact-groups", new { name = "down" }) })
        {
            var response = await request;
            await response.ExpectErrorAsync(HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        }
    }

    /// <summary>A port nothing listens on: bound, then released.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
