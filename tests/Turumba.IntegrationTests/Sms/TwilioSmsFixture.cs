using System.Net;
using System.Text.Json;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Sms;

/// <summary>
/// A host with the Webhooks role and a public base URL, the simulator's Twilio posting its signed
/// callbacks into that host in-process (the URL Twilio signs stays the public one), and helpers.
/// </summary>
public abstract class TwilioSmsFixture
{
    protected const string PublicBaseUrl = "https://hooks.turumba.test";
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    protected SimulatorHost Simulator { get; private set; } = null!;

    protected TurumbaApp App { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected HttpClient Provider { get; private set; } = null!;

    private IsolatedServices _services = null!;

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
        Simulator.Twilio.CallbackClient = new HttpMessageInvoker(App.Server.CreateHandler());
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
        Simulator.Twilio.Faults.Reset();
        Simulator.Twilio.Outcome = Turumba.Simulator.Twilio.TwilioOutcome.Delivered;
    }

    protected async Task<(Guid Channel, string AccountSid, string Token)> CreateChannelAsync(string? token = null)
    {
        var sid = Turumba.Simulator.Twilio.TwilioSimulator.NewAccountSid();
        token ??= Guid.NewGuid().ToString("N");
        var credentials = new Dictionary<string, string>
        {
            ["account_sid"] = sid,
            ["auth_token"] = token,
            ["from_number"] = "+15005550006",
            ["api_base_url"] = Simulator.BaseUrl.ToString(),
        };
        var channel = await (await Client.PostJsonAsync("/v1/channels", new { name = "sms " + sid[..8], channel_type = "sms", credentials }))
            .ExpectAsync(HttpStatusCode.Created);
        return (channel.GetProperty("data").GetProperty("id").GetGuid(), sid, token);
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

    protected IReadOnlyList<Turumba.Simulator.Twilio.TwilioRequest> MessagesTo(string accountSid) =>
        Simulator.Twilio.Messages.Where(r => r.AccountSid == accountSid).ToList();
}
