using System.Net;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Smpp;

/// <summary>Jasmin's callbacks: receipts and incoming messages through the real webhook, the per-channel token, the answer Jasmin waits for.</summary>
[TestFixture]
public sealed class JasminWebhookTests : JasminFixture
{
    protected override string Name => "jasmin-webhooks";

    [Test]
    public async Task Incoming_message_is_recorded_and_acknowledged()
    {
        var (channel, _, body) = await CreateChannelAsync();
        var url = body.GetProperty("webhook_url").GetString()!;

        var callback = await Simulator.Jasmin.DeliverMoAsync(url, "+251911000111", "8000", "ሰላም, STOP later", CancellationToken.None);

        var inbound = (await WaitForInboundAsync(channel, 1)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(callback.StatusCode, Is.EqualTo(200));
            Assert.That(callback.ResponseBody, Is.EqualTo("ACK/Jasmin"));
            Assert.That(inbound.GetProperty("message_body").GetString(), Is.EqualTo("ሰላም, STOP later"));
            Assert.That(inbound.GetProperty("delivery_address").GetString(), Is.EqualTo("+251911000111"));
        });
    }

    [Test]
    public async Task Callback_without_the_channels_token_is_refused_and_changes_nothing()
    {
        var (channel, _, _) = await CreateChannelAsync();

        foreach (var url in new[] { $"/webhooks/smpp/{channel}", $"/webhooks/smpp/{channel}?token=wrong" })
        {
            using var response = await Provider.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["id"] = Guid.NewGuid().ToString(), ["from"] = "+251911000222", ["to"] = "8000", ["content"] = "forged", ["coding"] = "0",
            }));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), url);
        }

        var page = await (await Client.GetAsync($"/v1/messages?filter=channel_id:eq:{channel}")).ExpectAsync(HttpStatusCode.OK);
        Assert.That(page.GetProperty("data").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Receipt_for_an_unknown_message_is_acknowledged_not_retried()
    {
        var (_, _, body) = await CreateChannelAsync();
        var url = new Uri(body.GetProperty("webhook_url").GetString()!).PathAndQuery;

        using var response = await Provider.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = Guid.NewGuid().ToString(), ["message_status"] = "DELIVRD", ["level"] = "2", ["err"] = "000",
        }));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("ACK/Jasmin"));
        });
    }

    [Test]
    public async Task Malformed_receipt_is_a_400_and_nothing_is_recorded()
    {
        var (_, _, body) = await CreateChannelAsync();
        var url = new Uri(body.GetProperty("webhook_url").GetString()!).PathAndQuery;

        using var response = await Provider.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["message_status"] = "DELIVRD" }));
        var metrics = await (await Provider.GetAsync("/metrics")).Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(metrics.Split('\n').Where(l => l.StartsWith("turumba_webhooks_duration_seconds_count{", StringComparison.Ordinal)),
                Has.Some.Contains("channel_type=\"smpp\"").And.Contains("status_code=\"400\""), "webhook handling time by channel type and status");
        });
    }
}
