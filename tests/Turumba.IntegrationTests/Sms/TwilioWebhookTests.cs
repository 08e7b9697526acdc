using System.Net;
using Turumba.Simulator;
using Turumba.Simulator.Twilio;

namespace Turumba.IntegrationTests.Sms;

/// <summary><c>POST /webhooks/sms/{channel_id}</c>: Twilio's signature, status callbacks once each, incoming messages answered with empty TwiML.</summary>
[TestFixture]
public sealed class TwilioWebhookTests : TwilioSmsFixture
{
    protected override string Name => "twilio-hooks";

    [Test]
    public async Task Bad_or_missing_signature_is_401_and_changes_nothing()
    {
        var (channel, sid, token) = await CreateChannelAsync();
        Simulator.Twilio.Outcome = TwilioOutcome.Silent;
        var id = await SendAsync(channel, "+251911100001", "hello");
        var sent = await WaitForStatusAsync(id, "sent");
        var messageSid = sent.GetProperty("metadata").GetProperty("provider_message_id").GetString()!;
        var form = new Dictionary<string, string> { ["MessageSid"] = messageSid, ["MessageStatus"] = "delivered", ["AccountSid"] = sid, ["To"] = "+251911100001" };
        var url = $"{PublicBaseUrl}/webhooks/sms/{channel}";

        var forged = await PostAsync(channel, form, TwilioSimulator.Sign("not-the-token", url, form));
        var unsigned = await PostAsync(channel, form, null);
        var otherUrl = await PostAsync(channel, form, TwilioSimulator.Sign(token, "https://elsewhere.test/webhooks/sms/" + channel, form));

        await forged.ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await unsigned.ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await otherUrl.ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var genuine = await PostAsync(channel, form, TwilioSimulator.Sign(token, url, form));
        Assert.That(genuine.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await WaitForStatusAsync(id, "delivered");
    }

    [Test]
    public async Task The_same_sid_and_status_twice_is_applied_once()
    {
        var (channel, sid, token) = await CreateChannelAsync();
        Simulator.Twilio.Outcome = TwilioOutcome.Silent;
        var id = await SendAsync(channel, "+251911100002", "hello");
        var messageSid = (await WaitForStatusAsync(id, "sent")).GetProperty("metadata").GetProperty("provider_message_id").GetString()!;
        var url = $"{PublicBaseUrl}/webhooks/sms/{channel}";

        var first = await Simulator.Twilio.DeliverStatusAsync(sid, url, messageSid, "+251911100002", "delivered", null, default);
        var delivered = await WaitForStatusAsync(id, "delivered");
        var second = await Simulator.Twilio.DeliverStatusAsync(sid, url, messageSid, "+251911100002", "delivered", null, default);
        var again = (await (await Client.GetAsync($"/v1/messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(200));
            Assert.That(second.StatusCode, Is.EqualTo(200), "a retry is acknowledged");
            Assert.That(again.GetProperty("updated_at").GetDateTimeOffset(), Is.EqualTo(delivered.GetProperty("updated_at").GetDateTimeOffset()), "not applied again");
            Assert.That(token, Is.Not.Empty);
        });
    }

    [Test]
    public async Task Incoming_sms_is_an_inbound_message_of_the_contact_with_its_media_and_empty_twiml()
    {
        var (channel, sid, _) = await CreateChannelAsync();
        var contact = (await (await Client.PostJsonAsync("/v1/contacts", new { first_name = "Hana", phone = "+251911100003" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        await SendAsync(channel, "+251911100003", "so Twilio knows our URL");

        var callback = await Simulator.Twilio.DeliverInboundAsync(sid, "+251911100003", "+15005550006", "Is my order ready?", ["https://api.twilio.com/media/ME1"],
            $"{PublicBaseUrl}/webhooks/sms/{channel}", default);
        var inbound = (await WaitForInboundAsync(channel, 1)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(callback.StatusCode, Is.EqualTo(200));
            Assert.That(callback.ResponseBody, Does.Contain("<Response/>"));
            Assert.That(inbound.GetProperty("message_body").GetString(), Is.EqualTo("Is my order ready?"));
            Assert.That(inbound.GetProperty("contact_id").GetGuid(), Is.EqualTo(contact));
            Assert.That(inbound.GetProperty("delivery_address").GetString(), Is.EqualTo("+251911100003"));
            Assert.That(inbound.GetProperty("metadata").GetProperty("media_file_ids").GetString(), Is.EqualTo("https://api.twilio.com/media/ME1"));
        });
    }

    [Test]
    public async Task Twiml_is_answered_as_xml()
    {
        var (channel, sid, token) = await CreateChannelAsync();
        var form = new Dictionary<string, string> { ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["SmsStatus"] = "received", ["From"] = "+251911100004", ["Body"] = "hi", ["AccountSid"] = sid };

        using var response = await PostAsync(channel, form, TwilioSimulator.Sign(token, $"{PublicBaseUrl}/webhooks/sms/{channel}", form));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/xml"));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.EndWith("<Response/>"));
        });
    }

    private async Task<HttpResponseMessage> PostAsync(Guid channel, Dictionary<string, string> form, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/sms/{channel}") { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature);
        }

        return await Provider.SendAsync(request);
    }
}
