using System.Net;
using Npgsql;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Dispatch;

/// <summary>A dispatcher killed while the provider call is in flight: the redelivered command must not send again.</summary>
[TestFixture]
public sealed class DispatchCrashTests
{
    [Test]
    public async Task Dispatcher_killed_mid_send_never_sends_twice()
    {
        await using var services = await IsolatedServices.CreateAsync("crash");
        await using var simulator = await SimulatorHost.StartAsync();
        simulator.Telegram.Faults.Latency = TimeSpan.FromSeconds(5);
        await using var api = new TurumbaApp(roles: "api,outbox", settings: services.Settings);
        using var client = await api.CreateAccountClientAsync("crash");
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var channel = (await (await client.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "crashy",
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = services.Postgres, ["ConnectionStrings__RabbitMq"] = services.RabbitMq };

        await using var first = HostProcess.Start(["--roles", "dispatch:telegram", "--urls", $"http://127.0.0.1:{HostProcess.FreePort()}"], environment);
        var id = (await (await client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "31337", message_body = "exactly once" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        await Eventually.WaitAsync(
            () => Task.FromResult(simulator.Telegram.RequestsFor("sendMessage").Any(r => r.Token == token)),
            TimeSpan.FromSeconds(60), "the first dispatcher's send to reach the provider");
        Assert.That(await StatusAsync(services, id), Is.EqualTo("sending"), "killed before it could record the outcome");
        first.Kill();

        await using var second = HostProcess.Start(["--roles", "dispatch:telegram", "--urls", $"http://127.0.0.1:{HostProcess.FreePort()}"], environment);
        await Eventually.WaitAsync(() => Task.FromResult(second.Output.Contains($"Skipped 1 message(s) of dispatch command {id}: they are no longer queued", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(90), "the redelivered command to be consumed by the second dispatcher");
        simulator.Telegram.Faults.Latency = TimeSpan.Zero;

        Assert.That(simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token), Is.EqualTo(1));
    }

    private static async Task<string?> StatusAsync(IsolatedServices services, Guid id)
    {
        await using var connection = new NpgsqlConnection(services.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select status from messaging.messages where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (string?)await command.ExecuteScalarAsync();
    }
}
