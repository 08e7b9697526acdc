using System.Net;
using Turumba.Simulator.Meta;

namespace Turumba.IntegrationTests.Meta;

/// <summary>Messenger sends through the simulated Send API: the request Meta documents, the window and its tag, errors.</summary>
[TestFixture]
public sealed class MessengerSendTests : MessengerFixture
{
    protected override string Name => "messenger-send";

    [Test]
    public async Task Inside_the_window_a_text_goes_as_a_response_to_the_psid_and_is_delivered()
    {
        var (channel, page) = await CreateChannelAsync();
        var psid = NewId();
        await PersonWritesAsync(channel, page, psid, "Where is my parcel?");

        // A PSID is no phone number: it is sent as given, never normalised to E.164.
        var id = await SendAsync(channel, psid, "It arrives tomorrow.");
        var delivered = await WaitForStatusAsync(id, "delivered");

        var request = MessagesFrom(page).Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo("/v21.0/me/messages"));
            Assert.That(request.Body!["recipient"]!["id"]!.ToString(), Is.EqualTo(psid));
            Assert.That(request.Body["messaging_type"]!.ToString(), Is.EqualTo("RESPONSE"));
            Assert.That(request.Body["tag"], Is.Null);
            Assert.That(request.Body["message"]!["text"]!.ToString(), Is.EqualTo("It arrives tomorrow."));
            Assert.That(delivered.GetProperty("delivery_address").GetString(), Is.EqualTo(psid));
            Assert.That(delivered.GetProperty("metadata").GetProperty("provider_message_id").GetString(), Does.StartWith("m_"));
        });
    }

    [Test]
    public async Task Update_goes_as_update_when_the_message_asks_for_it()
    {
        var (channel, page) = await CreateChannelAsync();
        var psid = NewId();
        await PersonWritesAsync(channel, page, psid, "Tell me when it ships");

        var id = await SendAsync(new
        {
            channel_id = channel, delivery_address = psid, message_body = "It shipped.",
            metadata = new Dictionary<string, string> { ["messaging_type"] = "UPDATE" },
        });
        await WaitForStatusAsync(id, "delivered");

        Assert.That(MessagesFrom(page).Single().Body!["messaging_type"]!.ToString(), Is.EqualTo("UPDATE"));
    }

    [Test]
    public async Task An_attachment_goes_by_url_and_its_text_follows_it()
    {
        var (channel, page) = await CreateChannelAsync();
        var psid = NewId();
        await PersonWritesAsync(channel, page, psid, "Send the invoice");

        var id = await SendAsync(new
        {
            channel_id = channel, delivery_address = psid, message_body = "Your invoice",
            metadata = new Dictionary<string, string> { ["media_url"] = "https://files.test/invoice.pdf", ["media_type"] = "application/pdf" },
        });
        var delivered = await WaitForStatusAsync(id, "delivered");

        var requests = MessagesFrom(page);
        Assert.That(requests, Has.Count.EqualTo(2));
        var attachment = requests[0].Body!["message"]!["attachment"]!;
        Assert.Multiple(() =>
        {
            Assert.That(attachment["type"]!.ToString(), Is.EqualTo("file"));
            Assert.That(attachment["payload"]!["url"]!.ToString(), Is.EqualTo("https://files.test/invoice.pdf"));
            Assert.That(requests[0].Body!["message"]!["text"], Is.Null);
            Assert.That(requests[1].Body!["message"]!["text"]!.ToString(), Is.EqualTo("Your invoice"));
            Assert.That(delivered.GetProperty("metadata").GetProperty("messenger_text_message_id").GetString(), Does.StartWith("m_"));
        });
    }

    [Test]
    public async Task Outside_the_window_without_a_tag_fails_without_a_provider_call()
    {
        var (channel, page) = await CreateChannelAsync();

        var id = await SendAsync(channel, NewId(), "Hello?");
        var failed = await WaitForStatusAsync(id, "failed");

        Assert.That(failed.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("outside_customer_service_window"));
        Assert.That(failed.GetProperty("error_details").GetProperty("message").GetString(), Does.Contain("message_tag"));
        Assert.That(MessagesFrom(page), Is.Empty);
    }

    [Test]
    public async Task Outside_the_window_the_channels_tag_goes_as_a_message_tag()
    {
        var (channel, page) = await CreateChannelAsync(tag: "ACCOUNT_UPDATE");

        var id = await SendAsync(channel, NewId(), "Your password was changed.");
        var delivered = await WaitForStatusAsync(id, "delivered");

        var body = MessagesFrom(page).Single().Body!;
        Assert.That(body["messaging_type"]!.ToString(), Is.EqualTo("MESSAGE_TAG"));
        Assert.That(body["tag"]!.ToString(), Is.EqualTo("ACCOUNT_UPDATE"));
        Assert.That(delivered.GetProperty("metadata").GetProperty("messenger_tag").GetString(), Is.EqualTo("ACCOUNT_UPDATE"));
    }

    [Test]
    public async Task When_Meta_says_the_window_closed_the_message_fails_as_outside_the_window()
    {
        var (channel, page) = await CreateChannelAsync();
        var psid = NewId();
        await PersonWritesAsync(channel, page, psid, "hi");
        Messenger.SetWindow(page, psid, DateTimeOffset.UtcNow.AddHours(-25)); // Meta's clock disagrees with ours

        var id = await SendAsync(channel, psid, "Hello");
        var failed = await WaitForStatusAsync(id, "failed");

        Assert.That(failed.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("outside_customer_service_window"));
        Assert.That(MessagesFrom(page).Select(r => r.StatusCode), Is.EqualTo(new[] { 400 }), "never retried");
    }

    [Test]
    public async Task A_person_who_is_unavailable_fails_for_good_and_is_suppressed()
    {
        var (channel, page) = await CreateChannelAsync(tag: "POST_PURCHASE_UPDATE");

        var id = await SendAsync(channel, MessengerSimulator.UnavailablePsid, "Your order shipped");
        var failed = await WaitForStatusAsync(id, "failed");

        Assert.That(failed.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("551"));
        await Eventually.WaitAsync(async () =>
        {
            var list = await (await Client.GetAsync($"/v1/suppressions?filter=address:eq:{MessengerSimulator.UnavailablePsid}&filter=channel_type:eq:messenger"))
                .ExpectAsync(HttpStatusCode.OK);
            return list.GetProperty("data").EnumerateArray().Any(s => s.GetProperty("reason").GetString() == "blocked");
        }, Deadline, "the person suppressed");
        var again = await SendAsync(channel, MessengerSimulator.UnavailablePsid, "Still there?");
        await WaitForStatusAsync(again, "failed");
        Assert.That(MessagesFrom(page), Has.Count.EqualTo(1), "the suppressed person gets no second call");
    }

    [Test]
    public async Task A_transient_failure_is_retried_and_then_sent()
    {
        var (channel, page) = await CreateChannelAsync();
        var psid = NewId();
        await PersonWritesAsync(channel, page, psid, "hello");
        Messenger.Faults.FailNext(1);

        var id = await SendAsync(channel, psid, "Hi");
        await WaitForStatusAsync(id, "delivered");

        Assert.That(MessagesFrom(page).Select(r => r.StatusCode), Is.EqualTo(new[] { 500, 200 }));
    }

    [Test]
    public async Task A_refused_token_leaves_the_channel_in_error()
    {
        var token = "EAArefused" + Guid.NewGuid().ToString("N");
        Messenger.Faults.RejectToken(token);
        var created = await (await Client.PostJsonAsync("/v1/channels", new
        {
            name = "refused page", channel_type = "messenger",
            credentials = new Dictionary<string, string>
            {
                ["page_id"] = NewId(), ["page_access_token"] = token, ["app_secret"] = AppSecret, ["api_base_url"] = Simulator.BaseUrl.ToString(),
            },
        })).ExpectAsync(HttpStatusCode.Created);

        var data = created.GetProperty("data");
        Assert.That(data.GetProperty("status").GetString(), Is.EqualTo("error"));
        Assert.That(data.GetProperty("error_message").GetString(), Does.Contain("190"));
    }

    [Test]
    public async Task An_unknown_message_tag_is_refused_on_create()
    {
        var answer = await Client.PostJsonAsync("/v1/channels", new
        {
            name = "bad tag", channel_type = "messenger",
            credentials = new Dictionary<string, string>
            {
                ["page_id"] = NewId(), ["page_access_token"] = "EAAx", ["app_secret"] = AppSecret, ["message_tag"] = "NON_PROMOTIONAL_SUBSCRIPTION",
                ["api_base_url"] = Simulator.BaseUrl.ToString(),
            },
        });

        var error = await answer.ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        Assert.That(error.ToString(), Does.Contain("message_tag"));
    }
}
