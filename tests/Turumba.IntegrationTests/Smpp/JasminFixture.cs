using System.Net;
using System.Text.Json;
using Turumba.Simulator;
using Turumba.Simulator.Jasmin;

namespace Turumba.IntegrationTests.Smpp;

/// <summary>
/// Jasmin channel tests: each channel has a Jasmin user of its own, so the requests of one test are
/// told apart by username.
/// </summary>
public abstract class JasminFixture : ProviderChannelFixture
{
    protected override void RouteCallbacks(HttpMessageInvoker host) => Simulator.Jasmin.CallbackClient = host;

    [SetUp]
    public void ResetSimulator()
    {
        Simulator.Jasmin.Faults.Reset();
        Simulator.Jasmin.Outcome = JasminOutcome.Delivered;
    }

    protected async Task<(Guid Channel, string Username, JsonElement Body)> CreateChannelAsync(string? password = null, Dictionary<string, string>? extra = null)
    {
        var username = "u" + Guid.NewGuid().ToString("N")[..12];
        var credentials = new Dictionary<string, string>
        {
            ["base_url"] = Simulator.BaseUrl.ToString(),
            ["username"] = username,
            ["password"] = password ?? "pw" + Guid.NewGuid().ToString("N")[..10],
            ["from"] = "TURUMBA",
        };
        foreach (var (key, value) in extra ?? [])
        {
            credentials[key] = value;
        }

        var channel = (await (await Client.PostJsonAsync("/v1/channels", new { name = "smpp " + username, channel_type = "smpp", credentials }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        return (channel.GetProperty("id").GetGuid(), username, channel);
    }

    protected IReadOnlyList<JasminRequest> SendsBy(string username) =>
        Simulator.Jasmin.Sends.Where(r => r.Parameters.GetValueOrDefault("username") == username).ToList();
}
