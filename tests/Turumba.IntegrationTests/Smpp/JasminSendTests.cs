using System.Net;
using System.Text;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Smpp;

/// <summary>SMPP through Jasmin end to end: API → dispatch → Jasmin adapter → simulated Jasmin HTTP API, and each error class.</summary>
[TestFixture]
public sealed class JasminSendTests : JasminFixture
{
    protected override string Name => "jasmin-send";

    [Test]
    public async Task Channel_is_verified_with_the_balance_call_and_shows_the_url_for_incoming_messages()
    {
        var (_, username, channel) = await CreateChannelAsync();

        Assert.Multiple(() =>
        {
            Assert.That(channel.GetProperty("status").GetString(), Is.EqualTo("connected"));
            Assert.That(channel.GetProperty("webhook_url").GetString(), Does.StartWith($"{PublicBaseUrl}/webhooks/smpp/").And.Contain("?token="));
            Assert.That(channel.GetProperty("credentials").GetProperty("password").GetString(), Does.Contain("****"));
            Assert.That(Simulator.Jasmin.Requests.Count(r => r.Resource == "balance" && r.Parameters["username"] == username), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Refused_password_leaves_the_channel_in_error_with_jasmins_reason()
    {
        var password = "bad" + Guid.NewGuid().ToString("N")[..8];
        Simulator.Jasmin.Faults.RejectToken(password);

        var (_, username, channel) = await CreateChannelAsync(password);

        Assert.Multiple(() =>
        {
            Assert.That(channel.GetProperty("status").GetString(), Is.EqualTo("error"));
            Assert.That(channel.GetProperty("error_message").GetString(), Does.Contain($"Authentication failure for username:{username}"));
        });
    }

    [Test]
    public async Task Missing_and_malformed_credentials_are_refused_naming_the_field()
    {
        var response = await Client.PostJsonAsync("/v1/channels", new
        {
            name = "bad smpp",
            channel_type = "smpp",
            credentials = new Dictionary<string, string> { ["base_url"] = "jasmin:1401", ["username"] = new string('u', 17), ["coding"] = "11" },
        });

        var error = await response.ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var fields = error.GetProperty("details").GetProperty("errors").EnumerateArray().Select(d => d.GetProperty("field").GetString()).ToList();
        Assert.That(fields, Is.SupersetOf(new[] { "credentials.password", "credentials.base_url", "credentials.username", "credentials.coding" }));
    }

    [Test]
    public async Task Gsm_text_is_one_send_with_a_receipt_url_and_ends_delivered_with_the_id_and_segments()
    {
        var (channel, username, _) = await CreateChannelAsync();
        var text = "Hello from Turumba, price 5€ " + new string('a', 140);

        var id = await SendAsync(channel, "+251911234567", text);
        var message = await WaitForStatusAsync(id, "delivered");

        var send = SendsBy(username).Single();
        var callbacks = Simulator.Jasmin.Callbacks.Where(c => c.Url == send.Parameters["dlr-url"]).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(send.Parameters["to"], Is.EqualTo("+251911234567"));
            Assert.That(send.Parameters["from"], Is.EqualTo("TURUMBA"));
            Assert.That(send.Parameters["coding"], Is.EqualTo("0"));
            Assert.That(send.Parameters["content"], Is.EqualTo(text));
            Assert.That(send.Parameters["dlr"], Is.EqualTo("yes"));
            Assert.That(send.Parameters["dlr-level"], Is.EqualTo("3"));
            Assert.That(send.Parameters["dlr-method"], Is.EqualTo("POST"));
            Assert.That(send.Parameters["dlr-url"], Does.StartWith($"{PublicBaseUrl}/webhooks/smpp/{channel}?token="));
            Assert.That(send.StatusCode, Is.EqualTo(200));
            Assert.That(message.GetProperty("metadata").GetProperty("provider_message_id").GetString(), Is.EqualTo(send.Answer.Split('"')[1]));
            Assert.That(message.GetProperty("metadata").GetProperty("encoding").GetString(), Is.EqualTo("GSM-7"));
            Assert.That(message.GetProperty("metadata").GetProperty("segments").GetString(), Is.EqualTo("2"));
            Assert.That(callbacks.Select(c => c.ResponseBody), Is.All.EqualTo("ACK/Jasmin"), "each receipt acknowledged, so Jasmin does not throw it again");
            Assert.That(callbacks.Select(c => c.Parameters["level"]), Is.EquivalentTo(new[] { "1", "2" }));
        });
    }

    [Test]
    public async Task Text_outside_gsm7_goes_as_ucs2_hex_content_with_coding_8()
    {
        var (channel, username, _) = await CreateChannelAsync();
        const string text = "ሰላም 👋";

        var message = await WaitForStatusAsync(await SendAsync(channel, "+251911234567", text), "delivered");

        var send = SendsBy(username).Single();
        Assert.Multiple(() =>
        {
            Assert.That(send.Parameters["coding"], Is.EqualTo("8"));
            Assert.That(send.Parameters.ContainsKey("content"), Is.False);
            Assert.That(Encoding.BigEndianUnicode.GetString(Convert.FromHexString(send.Parameters["hex-content"])), Is.EqualTo(text));
            Assert.That(message.GetProperty("metadata").GetProperty("encoding").GetString(), Is.EqualTo("UCS-2"));
        });
    }

    [Test]
    public async Task Undelivered_receipt_fails_the_message_with_the_status_as_the_code()
    {
        var (channel, _, _) = await CreateChannelAsync();
        Simulator.Jasmin.Outcome = Turumba.Simulator.Jasmin.JasminOutcome.Undelivered;

        var message = await WaitForStatusAsync(await SendAsync(channel, "+251911234567", "hello"), "failed");
        var metrics = await (await Provider.GetAsync("/metrics")).Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(message.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("UNDELIV"));
            Assert.That(metrics.Split('\n').Where(l => l.StartsWith("turumba_dispatch_duration_seconds_count{", StringComparison.Ordinal)),
                Has.Some.Contains("channel_type=\"smpp\"").And.Contains("provider=\"").And.Contains("outcome=\"sent\""), "dispatch time by channel type, provider, outcome");
            Assert.That(metrics, Does.Contain("turumba_messaging_receipts_total{").And.Contain("outcome=\"applied\""));
        });
    }

    [TestCase("+251911000412", "412", "No route found")]
    [TestCase("+251911000403", "charging", "Cannot charge submit_sm")]
    public async Task Refused_message_fails_at_once_with_jasmins_reason(string to, string code, string reason)
    {
        var (channel, username, _) = await CreateChannelAsync();

        var message = await WaitForStatusAsync(await SendAsync(channel, to, "hello"), "failed");

        Assert.Multiple(() =>
        {
            Assert.That(message.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo(code));
            Assert.That(message.GetProperty("error_details").GetProperty("message").GetString(), Does.Contain(reason));
            Assert.That(SendsBy(username), Has.Count.EqualTo(1), "no retry");
        });
    }

    [Test]
    public async Task Server_error_is_retried_until_jasmin_takes_the_message()
    {
        var (channel, username, _) = await CreateChannelAsync();
        Simulator.Jasmin.Faults.FailNext(2);

        await WaitForStatusAsync(await SendAsync(channel, "+251911234567", "hello"), "delivered");

        Assert.That(SendsBy(username).Select(s => s.StatusCode), Is.EqualTo(new[] { 500, 500, 200 }));
    }

    [Test]
    public async Task Throughput_exceeded_is_a_rate_limit_and_the_message_goes_later()
    {
        var (channel, username, _) = await CreateChannelAsync();
        Simulator.Jasmin.Faults.RateLimitNext(1, 1);

        await WaitForStatusAsync(await SendAsync(channel, "+251911234567", "hello"), "delivered");

        Assert.That(SendsBy(username).Select(s => s.StatusCode), Is.EqualTo(new[] { 403, 200 }));
    }
}
