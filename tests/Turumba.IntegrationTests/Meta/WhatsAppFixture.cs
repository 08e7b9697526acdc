using System.Net;
using System.Text.Json;
using Turumba.Simulator;
using Turumba.Simulator.Meta;

namespace Turumba.IntegrationTests.Meta;

/// <summary>
/// WhatsApp channel tests: the simulator's Cloud API sends its webhooks (the GET handshake, signed
/// POSTs) into the in-process host; a channel per test with its own number.
/// </summary>
public abstract class WhatsAppFixture : ProviderChannelFixture
{
    protected const string AppSecret = "simulated_app_secret";

    protected WhatsAppSimulator WhatsApp => Simulator.WhatsApp;

    protected override void RouteCallbacks(HttpMessageInvoker host) => WhatsApp.CallbackClient = host;

    [SetUp]
    public void ResetSimulator()
    {
        WhatsApp.Faults.Reset();
        WhatsApp.ReportDelivered = true;
    }

    /// <summary>A channel on a fresh phone number, subscribed in the simulator (handshake done) unless told otherwise.</summary>
    protected async Task<(Guid Channel, string Number)> CreateChannelAsync(bool subscribe = true, string verifyToken = "verify-me", string? accessToken = null)
    {
        var number = Random.Shared.NextInt64(100_000_000_000_000, 999_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var credentials = new Dictionary<string, string>
        {
            ["phone_number_id"] = number,
            ["access_token"] = accessToken ?? "EAAsimulated" + Guid.NewGuid().ToString("N"),
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

    protected Task<Guid> SendAsync(Guid channel, object request) => SendAsync(request);

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
