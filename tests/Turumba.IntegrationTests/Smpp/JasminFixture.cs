using System.Net;
using System.Text.Json;
using Turumba.Simulator;
using Turumba.Simulator.Jasmin;

namespace Turumba.IntegrationTests.Smpp;

/// <summary>
/// A host with a public base URL and the simulator's Jasmin posting receipts and incoming
/// messages into that host in-process; each channel has a Jasmin user of its own, so the requests
/// of one test are told apart by username.
/// </summary>
public abstract class JasminFixture
{
    protected const string PublicBaseUrl = "https://hooks.turumba.test";
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private IsolatedServices _services = null!;

    protected SimulatorHost Simulator { get; private set; } = null!;

    protected TurumbaApp App { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected HttpClient Provider { get; private set; } = null!;

    protected abstract string Name { get; }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Simulator = await SimulatorHost.StartAsync();
        _services = await IsolatedServices.CreateAsync(Name);
        App = new TurumbaApp(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _services.Postgres,
            ["ConnectionStrings:RabbitMq"] = _services.RabbitMq,
            ["Turumba:Webhooks:BaseUrl"] = PublicBaseUrl,
            ["Turumba:Dispatch:RetryBaseDelay"] = "00:00:00.050",
        });
        Client = await App.CreateAccountClientAsync(Name);
        Provider = App.CreateClient();
        Simulator.Jasmin.CallbackClient = new HttpMessageInvoker(App.Server.CreateHandler());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        Client.Dispose();
        Provider.Dispose();
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

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

    protected async Task<Guid> SendAsync(Guid channel, string to, string body) =>
        (await (await Client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = to, message_body = body }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

    protected async Task<JsonElement> WaitForStatusAsync(Guid id, string status)
    {
        JsonElement message = default;
        await Eventually.WaitAsync(async () =>
        {
            message = (await (await Client.GetAsync($"/v1/messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
            return message.GetProperty("status").GetString() == status;
        }, Deadline, $"message {id} {status}");
        return message;
    }

    protected async Task<List<JsonElement>> WaitForInboundAsync(Guid channel, int count)
    {
        List<JsonElement> messages = [];
        await Eventually.WaitAsync(async () =>
        {
            var body = await (await Client.GetAsync($"/v1/messages?filter=channel_id:eq:{channel}&filter=direction:eq:inbound&sort=created_at:asc")).ExpectAsync(HttpStatusCode.OK);
            messages = body.GetProperty("data").EnumerateArray().ToList();
            return messages.Count >= count;
        }, Deadline, $"{count} inbound message(s)");
        return messages;
    }

    protected IReadOnlyList<JasminRequest> SendsBy(string username) =>
        Simulator.Jasmin.Sends.Where(r => r.Parameters.GetValueOrDefault("username") == username).ToList();
}
