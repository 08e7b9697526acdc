using System.Net;
using System.Text.Json;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Sms;

/// <summary>
/// Twilio channel tests: the simulator's Twilio signs its callbacks with the public URL and posts them
/// into the in-process host.
/// </summary>
public abstract class TwilioSmsFixture : ProviderChannelFixture
{
    protected override void RouteCallbacks(HttpMessageInvoker host) => Simulator.Twilio.CallbackClient = host;

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

    protected IReadOnlyList<Turumba.Simulator.Twilio.TwilioRequest> MessagesTo(string accountSid) =>
        Simulator.Twilio.Messages.Where(r => r.AccountSid == accountSid).ToList();
}
