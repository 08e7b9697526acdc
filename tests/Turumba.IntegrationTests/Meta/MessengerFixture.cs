using System.Net;
using System.Text.Json;
using Turumba.Simulator;
using Turumba.Simulator.Meta;

namespace Turumba.IntegrationTests.Meta;

/// <summary>
/// Messenger channel tests: the simulator's Send API posts its signed webhooks (and the GET
/// handshake) into the in-process host; a channel per test on its own page.
/// </summary>
public abstract class MessengerFixture : ProviderChannelFixture
{
    protected const string AppSecret = "simulated_messenger_secret";

    protected MessengerSimulator Messenger => Simulator.Messenger;

    protected override void RouteCallbacks(HttpMessageInvoker host) => Messenger.CallbackClient = host;

    [SetUp]
    public void ResetSimulator()
    {
        Messenger.Faults.Reset();
        Messenger.ReportDelivered = true;
    }

    /// <summary>A channel on a fresh page, subscribed in the simulator (handshake done) unless told otherwise.</summary>
    protected async Task<(Guid Channel, string Page)> CreateChannelAsync(bool subscribe = true, string verifyToken = "verify-page", string? tag = null)
    {
        var page = NewId();
        var credentials = new Dictionary<string, string>
        {
            ["page_id"] = page,
            ["page_access_token"] = "EAApage" + Guid.NewGuid().ToString("N"),
            ["app_secret"] = AppSecret,
            ["verify_token"] = verifyToken,
            ["api_base_url"] = Simulator.BaseUrl.ToString(),
        };
        if (tag is not null)
        {
            credentials["message_tag"] = tag;
        }

        var created = await (await Client.PostJsonAsync("/v1/channels", new { name = "page " + page[..6], channel_type = "messenger", credentials }))
            .ExpectAsync(HttpStatusCode.Created);
        var data = created.GetProperty("data");
        Assert.That(data.GetProperty("status").GetString(), Is.EqualTo("connected"), data.ToString());
        var channel = data.GetProperty("id").GetGuid();
        if (subscribe)
        {
            var handshake = await Messenger.SubscribeAsync(page, CallbackUrl(channel), verifyToken, AppSecret, default);
            Assert.That(handshake.StatusCode, Is.EqualTo(200), handshake.ResponseBody);
        }

        return (channel, page);
    }

    /// <summary>A page or page-scoped id: 16 digits.</summary>
    protected static string NewId() =>
        Random.Shared.NextInt64(1_000_000_000_000_000, 9_999_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected static string CallbackUrl(Guid channel) => $"{PublicBaseUrl}/webhooks/messenger/{channel}";

    /// <summary>The person writes, and the inbound message is stored (so the window is open at dispatch).</summary>
    protected async Task<JsonElement> PersonWritesAsync(Guid channel, string page, string psid, string text)
    {
        var callback = await Messenger.DeliverInboundAsync(page, psid, text, null, default);
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

    protected IReadOnlyList<MessengerRequest> MessagesFrom(string page) => Messenger.Messages.Where(r => r.PageId == page).ToList();

    protected async Task<JsonElement> GetMessageAsync(Guid id) =>
        (await (await Client.GetAsync($"/v1/messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
}
