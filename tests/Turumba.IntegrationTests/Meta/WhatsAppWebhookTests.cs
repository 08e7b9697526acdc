using System.Net;
using System.Text;
using System.Text.Json;
using Turumba.Simulator.Meta;

namespace Turumba.IntegrationTests.Meta;

/// <summary><c>GET</c>/<c>POST /webhooks/whatsapp/{channel_id}</c>: the handshake, X-Hub-Signature-256, statuses in order, inbound messages.</summary>
[TestFixture]
public sealed class WhatsAppWebhookTests : WhatsAppFixture
{
    protected override string Name => "whatsapp-hooks";

    [Test]
    public async Task Handshake_echoes_the_challenge_only_for_the_channels_verify_token()
    {
        var (channel, _) = await CreateChannelAsync(subscribe: false, verifyToken: "right-token");

        var good = await Provider.GetAsync($"/webhooks/whatsapp/{channel}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=right-token");
        var bad = await Provider.GetAsync($"/webhooks/whatsapp/{channel}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong");

        Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await good.Content.ReadAsStringAsync(), Is.EqualTo("1158201444"));
        Assert.That(good.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"));
        await bad.ExpectErrorAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Test]
    public async Task Removing_the_verify_token_generates_a_new_one_shown_once_and_the_old_one_stops_answering()
    {
        var (channel, number) = await CreateChannelAsync(subscribe: false, verifyToken: "old-token");

        var renamed = (await (await Client.PatchJsonAsync($"/v1/channels/{channel}", new { credentials = new { access_token = "EAArotated" + Guid.NewGuid().ToString("N") } }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var updated = (await (await Client.PatchJsonAsync($"/v1/channels/{channel}", new { credentials = new { verify_token = "" } }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var token = updated.GetProperty("generated_credentials").GetProperty("verify_token").GetString()!;
        var fetched = (await (await Client.GetAsync($"/v1/channels/{channel}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(renamed.GetProperty("generated_credentials").ValueKind, Is.EqualTo(JsonValueKind.Null), "a change that keeps the token generates nothing");
            Assert.That(token, Has.Length.EqualTo(32).And.Not.EqualTo("old-token"));
            Assert.That(updated.GetProperty("credentials").GetProperty("verify_token").GetString(), Does.Not.Contain(token), "masked among the credentials");
            Assert.That(fetched.GetProperty("generated_credentials").ValueKind, Is.EqualTo(JsonValueKind.Null), "shown only once");
            Assert.That(fetched.ToString(), Does.Not.Contain(token));
        });
        var old = await WhatsApp.SubscribeAsync(number, CallbackUrl(channel), "old-token", AppSecret, default);
        var renewed = await WhatsApp.SubscribeAsync(number, CallbackUrl(channel), token, AppSecret, default);
        Assert.That(old.StatusCode, Is.EqualTo(403), old.ResponseBody);
        Assert.That(renewed.StatusCode, Is.EqualTo(200), renewed.ResponseBody);
    }

    [Test]
    public async Task Bad_or_missing_signature_is_401_and_stores_nothing()
    {
        var (channel, number) = await CreateChannelAsync();
        var body = """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"NUMBER"},"messages":[{"from":"251911300001","id":"wamid.forged","timestamp":"1750000000","type":"text","text":{"body":"forged"}}]}}]}]}""".Replace("NUMBER", number, StringComparison.Ordinal);

        var forged = await PostAsync(channel, body, WhatsAppSimulator.Sign("not-the-secret", Encoding.UTF8.GetBytes(body)));
        var unsigned = await PostAsync(channel, body, null);
        var genuine = await PostAsync(channel, body, WhatsAppSimulator.Sign(AppSecret, Encoding.UTF8.GetBytes(body)));

        await forged.ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await unsigned.ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.That(genuine.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var stored = 0;
        await Eventually.WaitAsync(async () =>
        {
            var inbound = await (await Client.GetAsync($"/v1/messages?filter=channel_id:eq:{channel}&filter=direction:eq:inbound")).ExpectAsync(HttpStatusCode.OK);
            stored = inbound.GetProperty("data").GetArrayLength();
            return stored >= 1;
        }, Deadline, "the genuine inbound message");
        Assert.That(stored, Is.EqualTo(1), "the refused posts stored nothing");
    }

    [Test]
    public async Task Sent_delivered_read_then_a_late_delivered_stays_read()
    {
        var (channel, number) = await CreateChannelAsync();
        await CustomerWritesAsync(channel, number, "+251911300002", "hi");
        var id = await SendAsync(channel, new { channel_id = channel, delivery_address = "+251911300002", message_body = "Hello" });
        var delivered = await WaitForStatusAsync(id, "delivered");
        var wamid = delivered.GetProperty("metadata").GetProperty("provider_message_id").GetString()!;

        await WhatsApp.DeliverStatusAsync(number, wamid, "251911300002", "read", null, default);
        var read = await WaitForStatusAsync(id, "read");
        var late = await WhatsApp.DeliverStatusAsync(number, wamid, "251911300002", "delivered", null, default);
        var after = (await (await Client.GetAsync($"/v1/messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.That(late.StatusCode, Is.EqualTo(200));
        Assert.That(after.GetProperty("status").GetString(), Is.EqualTo("read"));
        Assert.That(read.GetProperty("read_at").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.String));
    }

    [Test]
    public async Task An_inbound_message_links_the_contact_keeps_the_profile_name_and_is_stored_once()
    {
        var (channel, number) = await CreateChannelAsync();
        var contact = (await (await Client.PostJsonAsync("/v1/contacts", new { first_name = "Abebe", phone = "+251911300003" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        var message = await CustomerWritesAsync(channel, number, "+251911300003", "Thanks!");
        var redelivered = await WhatsApp.PostAsync(number, WhatsApp.Callbacks.Last(c => c.Body.Contains("Thanks!", StringComparison.Ordinal)).Body, default);

        Assert.That(message.GetProperty("contact_id").GetGuid(), Is.EqualTo(contact));
        Assert.That(message.GetProperty("metadata").GetProperty("sender_name").GetString(), Is.EqualTo("Abebe Kebede"));
        Assert.That(redelivered.StatusCode, Is.EqualTo(200));
        var inbound = await (await Client.GetAsync($"/v1/messages?filter=channel_id:eq:{channel}&filter=direction:eq:inbound")).ExpectAsync(HttpStatusCode.OK);
        Assert.That(inbound.GetProperty("data").GetArrayLength(), Is.EqualTo(1));
    }

    private Task<HttpResponseMessage> PostAsync(Guid channel, string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/whatsapp/{channel}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return Provider.SendAsync(request);
    }
}
