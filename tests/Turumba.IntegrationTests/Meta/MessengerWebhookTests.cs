using System.Net;
using System.Text;
using System.Text.Json;
using Turumba.Simulator.Meta;

namespace Turumba.IntegrationTests.Meta;

/// <summary><c>GET</c>/<c>POST /webhooks/messenger/{channel_id}</c>: the handshake, the signature, delivery and read watermarks, inbound messages, echoes.</summary>
[TestFixture]
public sealed class MessengerWebhookTests : MessengerFixture
{
    protected override string Name => "messenger-hooks";

    [Test]
    public async Task Handshake_echoes_the_challenge_only_for_the_channels_verify_token()
    {
        var (channel, _) = await CreateChannelAsync(subscribe: false, verifyToken: "page-token");

        var good = await Provider.GetAsync($"/webhooks/messenger/{channel}?hub.mode=subscribe&hub.challenge=774411&hub.verify_token=page-token");
        var bad = await Provider.GetAsync($"/webhooks/messenger/{channel}?hub.mode=subscribe&hub.challenge=774411&hub.verify_token=other");

        Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await good.Content.ReadAsStringAsync(), Is.EqualTo("774411"));
        await bad.ExpectErrorAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Test]
    public async Task Without_a_verify_token_one_is_generated_shown_once_and_answers_the_handshake()
    {
        var page = NewId();
        var created = (await (await Client.PostJsonAsync("/v1/channels", new
        {
            name = "generated token", channel_type = "messenger",
            credentials = new Dictionary<string, string>
            {
                ["page_id"] = page, ["page_access_token"] = "EAApage" + Guid.NewGuid().ToString("N"), ["app_secret"] = AppSecret,
                ["api_base_url"] = Simulator.BaseUrl.ToString(),
            },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var channel = created.GetProperty("id").GetGuid();
        var token = created.GetProperty("generated_credentials").GetProperty("verify_token").GetString()!;
        var fetched = (await (await Client.GetAsync($"/v1/channels/{channel}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.That(token, Has.Length.EqualTo(32));
        Assert.That(created.GetProperty("credentials").GetProperty("verify_token").GetString(), Does.Not.Contain(token), "masked among the credentials");
        Assert.That(fetched.GetProperty("generated_credentials").ValueKind, Is.EqualTo(JsonValueKind.Null), "shown only once");
        Assert.That(fetched.ToString(), Does.Not.Contain(token));
        var handshake = await Messenger.SubscribeAsync(page, CallbackUrl(channel), token, AppSecret, default);
        Assert.That(handshake.StatusCode, Is.EqualTo(200), handshake.ResponseBody);
    }

    [Test]
    public async Task A_forged_signature_is_401_and_stores_nothing()
    {
        var (channel, page) = await CreateChannelAsync();
        var body = """{"object":"page","entry":[{"id":"PAGE","time":1750000000000,"messaging":[{"sender":{"id":"1234"},"recipient":{"id":"PAGE"},"timestamp":1750000000000,"message":{"mid":"m_forged","text":"forged"}}]}]}"""
            .Replace("PAGE", page, StringComparison.Ordinal);

        var forged = await PostAsync(channel, body, WhatsAppSimulator.Sign("not-the-secret", Encoding.UTF8.GetBytes(body)));
        var unsigned = await PostAsync(channel, body, null);

        await forged.ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await unsigned.ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var genuine = await PostAsync(channel, body, WhatsAppSimulator.Sign(AppSecret, Encoding.UTF8.GetBytes(body)));
        Assert.That(genuine.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var inbound = await WaitForInboundAsync(channel, 1);
        Assert.That(inbound, Has.Count.EqualTo(1), "the refused posts stored nothing");
    }

    [Test]
    public async Task A_delivery_marks_the_listed_message_and_every_earlier_one_to_the_person()
    {
        var (channel, page) = await CreateChannelAsync();
        var psid = NewId();
        var other = NewId();
        await PersonWritesAsync(channel, page, psid, "hi");
        await PersonWritesAsync(channel, page, other, "hi too");
        Messenger.ReportDelivered = false;
        var first = await SendAsync(channel, psid, "one");
        var second = await SendAsync(channel, psid, "two");
        var elsewhere = await SendAsync(channel, other, "to someone else");
        await WaitForStatusAsync(first, "sent");
        await WaitForStatusAsync(elsewhere, "sent");
        var last = await WaitForStatusAsync(second, "sent");
        var mid = last.GetProperty("metadata").GetProperty("provider_message_id").GetString()!;

        // The watermark is Meta's time of the listed message, just before our own sent_at of it: the mid covers it.
        var delivery = await Messenger.DeliverDeliveryAsync(page, psid, [mid], DateTimeOffset.UtcNow, default);

        Assert.That(delivery.StatusCode, Is.EqualTo(200), delivery.ResponseBody);
        await WaitForStatusAsync(second, "delivered");
        await WaitForStatusAsync(first, "delivered");
        Assert.That((await GetMessageAsync(elsewhere)).GetProperty("status").GetString(), Is.EqualTo("sent"), "another person's message is not touched");
    }

    [Test]
    public async Task A_read_watermark_reads_earlier_messages_and_a_late_delivery_does_not_move_them_back()
    {
        var (channel, page) = await CreateChannelAsync();
        var psid = NewId();
        await PersonWritesAsync(channel, page, psid, "hello");
        var first = await SendAsync(channel, psid, "one");
        var second = await SendAsync(channel, psid, "two");
        await WaitForStatusAsync(first, "delivered");
        await WaitForStatusAsync(second, "delivered");

        await Messenger.DeliverReadAsync(page, psid, DateTimeOffset.UtcNow, default);
        var read = await WaitForStatusAsync(first, "read");
        await WaitForStatusAsync(second, "read");
        var late = await Messenger.DeliverDeliveryAsync(page, psid, [], DateTimeOffset.UtcNow, default);
        var afterLate = await GetMessageAsync(first);

        Assert.That(late.StatusCode, Is.EqualTo(200));
        Assert.That(read.GetProperty("read_at").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(afterLate.GetProperty("status").GetString(), Is.EqualTo("read"));
    }

    [Test]
    public async Task A_failed_message_is_not_marked_delivered_by_a_watermark()
    {
        var (channel, page) = await CreateChannelAsync();
        var psid = NewId();
        var failed = await SendAsync(channel, psid, "outside the window");
        await WaitForStatusAsync(failed, "failed");
        await PersonWritesAsync(channel, page, psid, "now I write");
        Messenger.ReportDelivered = false;
        var sent = await SendAsync(channel, psid, "inside the window");
        await WaitForStatusAsync(sent, "sent");

        // No mids, as older Messenger clients report: the watermark alone delivers the sent message.
        await Messenger.DeliverDeliveryAsync(page, psid, [], DateTimeOffset.UtcNow, default);
        await WaitForStatusAsync(sent, "delivered");

        Assert.That((await GetMessageAsync(failed)).GetProperty("status").GetString(), Is.EqualTo("failed"));
    }

    [Test]
    public async Task An_inbound_message_links_the_contact_opens_the_window_and_is_stored_once_and_echoes_are_ignored()
    {
        var (channel, page) = await CreateChannelAsync();
        var psid = NewId();
        var contact = (await (await Client.PostJsonAsync("/v1/contacts", new
        {
            first_name = "Hana", addresses = new Dictionary<string, string> { ["messenger"] = psid },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        var echo = await Messenger.DeliverEchoAsync(page, psid, "an echo of our own message", default);
        var message = await PersonWritesAsync(channel, page, psid, "Hi there");
        var redelivered = await Messenger.PostAsync(page, Messenger.Callbacks.Last(c => c.Body.Contains("Hi there", StringComparison.Ordinal)).Body, default);
        var photo = await Messenger.DeliverInboundAsync(page, psid, null, "https://scontent.test/photo.jpg", default);

        Assert.That(echo.StatusCode, Is.EqualTo(200));
        Assert.That(redelivered.StatusCode, Is.EqualTo(200));
        Assert.That(photo.StatusCode, Is.EqualTo(200));
        Assert.That(message.GetProperty("contact_id").GetGuid(), Is.EqualTo(contact));
        var inbound = await WaitForInboundAsync(channel, 2);
        Assert.That(inbound, Has.Count.EqualTo(2), "the redelivery stored once, the echo not at all");
        Assert.That(inbound[1].GetProperty("metadata").GetProperty("media_file_ids").GetString(), Is.EqualTo("https://scontent.test/photo.jpg"));

        var reply = await SendAsync(channel, psid, "Welcome!");
        await WaitForStatusAsync(reply, "delivered");
        Assert.That(MessagesFrom(page).Single().Body!["messaging_type"]!.ToString(), Is.EqualTo("RESPONSE"), "the inbound message opened the window");
    }

    private Task<HttpResponseMessage> PostAsync(Guid channel, string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/messenger/{channel}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return Provider.SendAsync(request);
    }
}
