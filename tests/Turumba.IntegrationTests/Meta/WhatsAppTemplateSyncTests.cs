using System.Net;
using System.Text.Json;

namespace Turumba.IntegrationTests.Meta;

/// <summary>The WABA's templates synced into the channel: on create, on demand across pages, listed under the channel.</summary>
[TestFixture]
public sealed class WhatsAppTemplateSyncTests : WhatsAppFixture
{
    protected override string Name => "whatsapp-templates";

    [Test]
    public async Task Creating_the_channel_syncs_the_WABAs_templates_with_their_status()
    {
        var (channel, _) = await CreateChannelAsync(subscribe: false);

        var templates = await ListAsync(channel);

        var byName = templates.ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.That(byName["order_update"].GetProperty("status").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(byName["order_update"].GetProperty("language").GetString(), Is.EqualTo("en_US"));
        Assert.That(byName["order_update"].GetProperty("category").GetString(), Is.EqualTo("UTILITY"));
        Assert.That(byName["order_update"].GetProperty("components")[0].GetProperty("text").GetString(), Does.Contain("{{1}}"));
        Assert.That(byName["spring_sale"].GetProperty("status").GetString(), Is.EqualTo("PENDING"));
    }

    [Test]
    public async Task An_on_demand_sync_follows_every_page_and_replaces_what_was_stored()
    {
        var (channel, _) = await CreateChannelAsync(subscribe: false);
        var added = Enumerable.Range(0, 150).Select(i => $"bulk_{i:D3}").ToList();
        foreach (var name in added)
        {
            WhatsApp.Templates[name] = ("en_US", "APPROVED", "MARKETING", "Bulk {{1}}");
        }

        WhatsApp.Templates["spring_sale"] = ("en_US", "APPROVED", "MARKETING", "Spring sale: {{1}} off.");
        try
        {
            var before = WhatsApp.Requests.Count(r => r.Path.EndsWith("/message_templates", StringComparison.Ordinal));
            var synced = (await (await Client.PostAsync($"/v1/channels/{channel}/templates/sync", null)).ExpectAsync(HttpStatusCode.OK))
                .GetProperty("data").EnumerateArray().ToList();
            var pages = WhatsApp.Requests.Count(r => r.Path.EndsWith("/message_templates", StringComparison.Ordinal)) - before;

            Assert.That(synced, Has.Count.EqualTo(152));
            Assert.That(pages, Is.EqualTo(2), "100 a page");
            Assert.That(await ListAsync(channel), Has.Count.EqualTo(152));
            Assert.That((await ListAsync(channel)).Single(t => t.GetProperty("name").GetString() == "spring_sale").GetProperty("status").GetString(),
                Is.EqualTo("APPROVED"));
        }
        finally
        {
            foreach (var name in added)
            {
                WhatsApp.Templates.TryRemove(name, out _);
            }

            WhatsApp.Templates["spring_sale"] = ("en_US", "PENDING", "MARKETING", "Spring sale: {{1}} off.");
        }

        await (await Client.PostAsync($"/v1/channels/{channel}/templates/sync", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.That(await ListAsync(channel), Has.Count.EqualTo(2), "templates gone from the WABA are gone from the channel");
    }

    [Test]
    public async Task A_channel_without_a_waba_has_nothing_to_sync()
    {
        var created = await (await Client.PostJsonAsync("/v1/channels", new
        {
            name = "no waba", channel_type = "whatsapp",
            credentials = new Dictionary<string, string>
            {
                ["phone_number_id"] = "106540352242999", ["access_token"] = "EAAx", ["app_secret"] = AppSecret, ["api_base_url"] = Simulator.BaseUrl.ToString(),
            },
        })).ExpectAsync(HttpStatusCode.Created);
        var channel = created.GetProperty("data").GetProperty("id").GetGuid();

        await (await Client.PostAsync($"/v1/channels/{channel}/templates/sync", null)).ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");
        Assert.That(await ListAsync(channel), Is.Empty);
        await (await Client.GetAsync($"/v1/channels/{Guid.NewGuid()}/templates")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task A_send_naming_a_template_the_WABA_has_not_approved_is_refused_whatever_the_Turumba_template_says()
    {
        var (channel, number) = await CreateChannelAsync(subscribe: false);
        var template = (await (await Client.PostJsonAsync("/v1/templates", new
        {
            name = "spring " + Guid.NewGuid().ToString("N")[..6], body = "Spring sale: {DISCOUNT} off.", channel_type = "whatsapp",
            language = "en_US", external_template_id = "spring_sale", approval_status = "approved",
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        var answer = await Client.PostJsonAsync("/v1/messages", new
        {
            channel_id = channel, delivery_address = "+251911400001", template_id = template,
            custom_values = new Dictionary<string, string> { ["discount"] = "20%" },
        });

        var error = await answer.ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        Assert.That(error.ToString(), Does.Contain("pending in the WhatsApp Business Account"));
        Assert.That(MessagesFrom(number), Is.Empty);
    }

    private async Task<List<JsonElement>> ListAsync(Guid channel) =>
        (await (await Client.GetAsync($"/v1/channels/{channel}/templates")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();
}
