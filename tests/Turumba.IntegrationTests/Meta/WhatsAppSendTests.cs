using System.Net;

namespace Turumba.IntegrationTests.Meta;

/// <summary>WhatsApp sends through the simulated Cloud API: the request Meta documents, the 24-hour window, templates, errors.</summary>
[TestFixture]
public sealed class WhatsAppSendTests : WhatsAppFixture
{
    protected override string Name => "whatsapp-send";

    [Test]
    public async Task Inside_the_window_a_text_goes_free_form_and_is_delivered_by_the_signed_status()
    {
        var (channel, number) = await CreateChannelAsync();
        await CustomerWritesAsync(channel, number, "+251911200001", "Is my order ready?");

        var id = await SendAsync(channel, new { channel_id = channel, delivery_address = "+251911200001", message_body = "Yes: https://shop.test/o/1" });
        var delivered = await WaitForStatusAsync(id, "delivered");

        var request = MessagesFrom(number).Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo($"/v21.0/{number}/messages"));
            Assert.That(request.Body!["messaging_product"]!.ToString(), Is.EqualTo("whatsapp"));
            Assert.That(request.Body["to"]!.ToString(), Is.EqualTo("251911200001"));
            Assert.That(request.Body["type"]!.ToString(), Is.EqualTo("text"));
            Assert.That(request.Body["text"]!["body"]!.ToString(), Is.EqualTo("Yes: https://shop.test/o/1"));
            Assert.That(request.Body["text"]!["preview_url"]!.GetValue<bool>(), Is.True);
            Assert.That(delivered.GetProperty("metadata").GetProperty("provider_message_id").GetString(), Does.StartWith("wamid."));
        });
    }

    [Test]
    public async Task Media_goes_by_link_with_its_caption()
    {
        var (channel, number) = await CreateChannelAsync();
        await CustomerWritesAsync(channel, number, "+251911200002", "Send me the receipt");

        var id = await SendAsync(channel, new
        {
            channel_id = channel, delivery_address = "+251911200002", message_body = "Your receipt",
            metadata = new Dictionary<string, string> { ["media_url"] = "https://files.test/receipt.pdf", ["media_type"] = "application/pdf" },
        });
        await WaitForStatusAsync(id, "delivered");

        var body = MessagesFrom(number).Single().Body!;
        Assert.That(body["type"]!.ToString(), Is.EqualTo("document"));
        Assert.That(body["document"]!["link"]!.ToString(), Is.EqualTo("https://files.test/receipt.pdf"));
        Assert.That(body["document"]!["caption"]!.ToString(), Is.EqualTo("Your receipt"));
    }

    [Test]
    public async Task Outside_the_window_without_a_template_fails_without_a_provider_call()
    {
        var (channel, number) = await CreateChannelAsync();

        var id = await SendAsync(channel, new { channel_id = channel, delivery_address = "+251911200003", message_body = "Hello?" });
        var failed = await WaitForStatusAsync(id, "failed");

        Assert.That(failed.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("outside_customer_service_window"));
        Assert.That(failed.GetProperty("error_details").GetProperty("message").GetString(), Does.Contain("template"));
        Assert.That(MessagesFrom(number), Is.Empty);
    }

    [Test]
    public async Task Outside_the_window_a_linked_approved_template_goes_with_the_contacts_values()
    {
        var (channel, number) = await CreateChannelAsync();
        var template = await CreateTemplateAsync("order_update", "approved");

        var id = await SendAsync(channel, new
        {
            channel_id = channel, delivery_address = "+251911200004", template_id = template,
            custom_values = new Dictionary<string, string> { ["name"] = "Abebe", ["order"] = "A-17" },
        });
        await WaitForStatusAsync(id, "delivered");

        var body = MessagesFrom(number).Single().Body!;
        Assert.Multiple(() =>
        {
            Assert.That(body["type"]!.ToString(), Is.EqualTo("template"));
            Assert.That(body["template"]!["name"]!.ToString(), Is.EqualTo("order_update"));
            Assert.That(body["template"]!["language"]!["code"]!.ToString(), Is.EqualTo("en_US"));
            var parameters = body["template"]!["components"]![0]!["parameters"]!.AsArray().Select(p => p!["text"]!.ToString());
            Assert.That(parameters, Is.EqualTo(new[] { "Abebe", "A-17" }));
        });
    }

    [Test]
    public async Task When_Meta_says_131047_the_linked_template_goes_instead()
    {
        var (channel, number) = await CreateChannelAsync();
        await CustomerWritesAsync(channel, number, "+251911200005", "Hi");
        WhatsApp.SetWindow(number, "251911200005", DateTimeOffset.UtcNow.AddHours(-25)); // Meta's clock disagrees with ours
        var template = await CreateTemplateAsync("order_update", "approved");

        var id = await SendAsync(channel, new
        {
            channel_id = channel, delivery_address = "+251911200005", template_id = template,
            custom_values = new Dictionary<string, string> { ["name"] = "Abebe", ["order"] = "A-18" },
        });
        await WaitForStatusAsync(id, "delivered");

        Assert.That(MessagesFrom(number).Select(r => r.Body!["type"]!.ToString()), Is.EqualTo(new[] { "text", "template" }));
        Assert.That(MessagesFrom(number).Select(r => r.StatusCode), Is.EqualTo(new[] { 400, 200 }));
    }

    [Test]
    public async Task A_template_that_is_not_approved_is_refused_before_any_provider_call()
    {
        var (channel, number) = await CreateChannelAsync();
        var template = await CreateTemplateAsync("spring_sale", "pending");

        var answer = await Client.PostJsonAsync("/v1/messages", new
        {
            channel_id = channel, delivery_address = "+251911200006", template_id = template,
            custom_values = new Dictionary<string, string> { ["name"] = "x", ["order"] = "y" },
        });

        await answer.ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        Assert.That(MessagesFrom(number), Is.Empty);
    }

    [TestCase("+15550001026", "131026")]
    [TestCase("+15550001021", "131021")]
    public async Task Meta_refusals_fail_the_message_with_Metas_code_and_details(string to, string code)
    {
        var (channel, number) = await CreateChannelAsync();
        await CustomerWritesAsync(channel, number, to, "hello");

        var id = await SendAsync(channel, new { channel_id = channel, delivery_address = to, message_body = "Hi" });
        var failed = await WaitForStatusAsync(id, "failed");

        Assert.That(failed.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo(code));
        Assert.That(MessagesFrom(number), Has.Count.EqualTo(1), "never retried");
    }

    [Test]
    public async Task A_transient_failure_is_retried_and_then_sent()
    {
        var (channel, number) = await CreateChannelAsync();
        await CustomerWritesAsync(channel, number, "+251911200007", "hello");
        WhatsApp.Faults.FailNext(1);

        var id = await SendAsync(channel, new { channel_id = channel, delivery_address = "+251911200007", message_body = "Hi" });
        await WaitForStatusAsync(id, "delivered");

        Assert.That(MessagesFrom(number).Select(r => r.StatusCode), Is.EqualTo(new[] { 500, 200 }));
    }

    [Test]
    public async Task A_refused_token_leaves_the_channel_in_error()
    {
        var token = "EAArefused" + Guid.NewGuid().ToString("N");
        WhatsApp.Faults.RejectToken(token);
        var created = await (await Client.PostJsonAsync("/v1/channels", new
        {
            name = "refused", channel_type = "whatsapp",
            credentials = new Dictionary<string, string>
            {
                ["phone_number_id"] = "106540352242922", ["access_token"] = token, ["app_secret"] = AppSecret, ["api_base_url"] = Simulator.BaseUrl.ToString(),
            },
        })).ExpectAsync(HttpStatusCode.Created);

        var data = created.GetProperty("data");
        Assert.That(data.GetProperty("status").GetString(), Is.EqualTo("error"));
        Assert.That(data.GetProperty("error_message").GetString(), Does.Contain("190"));
    }

    private async Task<Guid> CreateTemplateAsync(string whatsAppName, string approval) =>
        (await (await Client.PostJsonAsync("/v1/templates", new
        {
            name = whatsAppName + " " + Guid.NewGuid().ToString("N")[..6],
            body = "Hello {NAME}, your order {ORDER} is on its way.",
            channel_type = "whatsapp",
            language = "en_US",
            external_template_id = whatsAppName,
            approval_status = approval,
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
}
