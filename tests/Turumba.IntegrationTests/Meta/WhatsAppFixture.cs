using System.Net;
using System.Text.Json;
using Turumba.Simulator;
using Turumba.Simulator.Meta;

namespace Turumba.IntegrationTests.Meta;

/// <summary>
/// A host with a public base URL and the simulator's WhatsApp Cloud API, whose webhooks (the GET
/// handshake, signed POSTs) go into that host in-process; a channel per test with its own number.
/// </summary>
public abstract class WhatsAppFixture
{
    protected const string PublicBaseUrl = "https://hooks.turumba.test";
    protected const string AppSecret = "simulated_app_secret";
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private IsolatedServices _services = null!;

    protected SimulatorHost Simulator { get; private set; } = null!;

    protected WhatsAppSimulator WhatsApp => Simulator.WhatsApp;

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
        WhatsApp.CallbackClient = new HttpMessageInvoker(App.Server.CreateHandler());
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
        WhatsApp.Faults.Reset();
        WhatsApp.ReportDelivered = true;
    }

    /// <summary>A channel on a fresh phone number, subscribed in the simulator (handshake done) unless told otherwise.</summary>
    protected async Task<(Guid Channel, string Number)> CreateChannelAsync(bool subscribe = true, string verifyToken = "verify-me")
    {
        var number = Random.Shared.NextInt64(100_000_000_000_000, 999_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var credentials = new Dictionary<string, string>
        {
            ["phone_number_id"] = number,
            ["access_token"] = "EAAsimulated" + Guid.NewGuid().ToString("N"),
            ["app_secret"] = AppSecret,
            ["verify_token"] = verifyToken,
            ["waba_id"] = "102290129340398",
            ["api_base_url"] = Simulator.BaseUrl.ToString(),
        };
        var created = await (await Client.PostJsonAsync("/v1/channels", new { name = "whatsapp " + number[..6], channel_type = "whatsapp", credentials }))
            .ExpectAsync(HttpStatusCode.Created);
        var channel = created.GetProperty("data").GetProperty("id").GetGuid();
        if (subscribe)
        {
            var handshake = await WhatsApp.SubscribeAsync(number, CallbackUrl(channel), verifyToken, AppSecret, default);
            Assert.That(handshake.StatusCode, Is.EqualTo(200), handshake.ResponseBody);
        }

        return (channel, number);
    }

    protected static string CallbackUrl(Guid channel) => $"{PublicBaseUrl}/webhooks/whatsapp/{channel}";

    protected async Task<Guid> SendAsync(Guid channel, object request) =>
        (await (await Client.PostJsonAsync("/v1/messages", request)).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

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

    /// <summary>The customer writes, and the inbound message is stored (so its window is open at dispatch).</summary>
    protected async Task<JsonElement> CustomerWritesAsync(Guid channel, string number, string from, string text)
    {
        var callback = await WhatsApp.DeliverInboundAsync(number, from, "Abebe Kebede", text, default);
        Assert.That(callback.StatusCode, Is.EqualTo(200), callback.ResponseBody);
        JsonElement found = default;
        await Eventually.WaitAsync(async () =>
        {
            var body = await (await Client.GetAsync($"/v1/messages?filter=channel_id:eq:{channel}&filter=direction:eq:inbound")).ExpectAsync(HttpStatusCode.OK);
            found = body.GetProperty("data").EnumerateArray().FirstOrDefault(m => m.GetProperty("message_body").GetString() == text);
            return found.ValueKind == JsonValueKind.Object;
        }, Deadline, $"inbound '{text}'");
        return found;
    }

    protected IReadOnlyList<WhatsAppRequest> MessagesFrom(string number) => WhatsApp.Messages.Where(r => r.PhoneNumberId == number).ToList();
}
