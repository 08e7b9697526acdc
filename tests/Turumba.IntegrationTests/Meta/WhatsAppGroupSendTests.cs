using System.Net;
using System.Text.Json;

namespace Turumba.IntegrationTests.Meta;

/// <summary>
/// Group sends on WhatsApp: each member's message carries the linked approved template, so members
/// outside the 24-hour window get the template and those inside it the free-form text; the estimate
/// says beforehand how many go which way and how many would fail.
/// </summary>
[TestFixture]
public sealed class WhatsAppGroupSendTests : WhatsAppFixture
{
    protected override string Name => "whatsapp-group";

    [Test]
    public async Task Members_outside_the_window_get_the_linked_template_and_the_estimate_said_so()
    {
        var (channel, number) = await CreateChannelAsync();
        var prefix = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (writer, quiet1, quiet2) = ($"+25191{prefix}1", $"+25191{prefix}2", $"+25191{prefix}3");
        var group = await CreateGroupAsync(("Abebe", writer), ("Almaz", quiet1), ("Kebede", quiet2));
        await CustomerWritesAsync(channel, number, writer, "Is my order on its way?");
        var linked = await CreateTemplateAsync("order_update", "approved");

        var draft = await CreateGroupMessageAsync(new { channel_id = channel, contact_group_ids = new[] { group }, template_id = linked, custom_values = new { order = "A-17" } });
        var plain = await CreateGroupMessageAsync(new { channel_id = channel, contact_group_ids = new[] { group }, message_body = "Hello {FIRST_NAME}" });
        var withTemplate = await EstimateAsync(draft);
        var withoutTemplate = await EstimateAsync(plain);
        Assert.Multiple(() =>
        {
            Assert.That(withTemplate.GetProperty("recipients").GetInt32(), Is.EqualTo(3));
            Assert.That(Window(withTemplate), Is.EqualTo((1, 2, 0)), "free-form to the one who wrote, the template to the others");
            Assert.That(Window(withoutTemplate), Is.EqualTo((1, 0, 2)), "without a linked template the others would fail");
            Assert.That(MessagesFrom(number), Is.Empty, "an estimate sends nothing");
        });

        var send = await CreateGroupMessageAsync(new
        {
            channel_id = channel, contact_group_ids = new[] { group }, template_id = linked, custom_values = new { order = "A-17" }, status = "queued",
        });
        await Eventually.WaitAsync(async () =>
        {
            var g = (await (await Client.GetAsync($"/v1/group-messages/{send}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
            return g.GetProperty("status").GetString() is "completed" or "partially_failed" or "failed";
        }, Deadline, "the group send finished");

        var byRecipient = MessagesFrom(number).ToDictionary(r => "+" + r.Body!["to"]!.ToString().TrimStart('+'), r => r.Body!);
        var group1 = (await (await Client.GetAsync($"/v1/group-messages/{send}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        Assert.Multiple(() =>
        {
            Assert.That(group1.GetProperty("status").GetString(), Is.EqualTo("completed"), group1.ToString());
            Assert.That(byRecipient.Keys, Is.EquivalentTo(new[] { writer, quiet1, quiet2 }), "each member once");
            Assert.That(byRecipient[writer]["type"]!.ToString(), Is.EqualTo("text"));
            Assert.That(byRecipient[writer]["text"]!["body"]!.ToString(), Is.EqualTo("Hello Abebe, your order A-17 is on its way."));
            foreach (var (quiet, first) in new[] { (quiet1, "Almaz"), (quiet2, "Kebede") })
            {
                var body = byRecipient[quiet];
                Assert.That(body["type"]!.ToString(), Is.EqualTo("template"), quiet);
                Assert.That(body["template"]!["name"]!.ToString(), Is.EqualTo("order_update"));
                Assert.That(body["template"]!["language"]!["code"]!.ToString(), Is.EqualTo("en_US"));
                Assert.That(body["template"]!["components"]![0]!["parameters"]!.AsArray().Select(p => p!["text"]!.ToString()),
                    Is.EqualTo(new[] { first, "A-17" }), "the member's own values");
            }
        });
    }

    [Test]
    public async Task Preview_on_the_channel_says_whether_the_contacts_message_goes_free_form_as_the_template_or_fails()
    {
        var (channel, number) = await CreateChannelAsync();
        var prefix = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (writer, quiet) = ($"+25192{prefix}1", $"+25192{prefix}2");
        await CreateGroupAsync(("Abebe", writer), ("Almaz", quiet));
        await CustomerWritesAsync(channel, number, writer, "Hello?");
        var linked = await CreateTemplateAsync("order_update", "approved");
        var unlinked = (await (await Client.PostJsonAsync("/v1/templates", new { name = "plain " + prefix, body = "Hi {FIRST_NAME}", channel_type = "whatsapp" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var (writerId, quietId) = (await ContactIdAsync(writer), await ContactIdAsync(quiet));

        var (inside, outside, outsideUnlinked, noChannel) = (await SendAsAsync(linked, channel, writerId), await SendAsAsync(linked, channel, quietId),
            await SendAsAsync(unlinked, channel, quietId), await SendAsAsync(unlinked, null, quietId));
        Assert.Multiple(() =>
        {
            Assert.That(inside, Is.EqualTo("free_form"));
            Assert.That(outside, Is.EqualTo("template"));
            Assert.That(outsideUnlinked, Is.EqualTo("fails"));
            Assert.That(noChannel, Is.Null, "no channel, no window to judge");
        });
        Assert.That(MessagesFrom(number).Where(r => r.Body?["to"]?.ToString().EndsWith(prefix + "2", StringComparison.Ordinal) == true), Is.Empty, "a preview sends nothing");
    }

    [Test]
    public async Task A_group_send_naming_a_template_the_WABA_has_not_approved_is_refused()
    {
        var (channel, number) = await CreateChannelAsync(subscribe: false);
        var group = await CreateGroupAsync(("Abebe", "+251911500001"));
        var pending = await CreateTemplateAsync("spring_sale", "approved");

        var answer = await Client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, template_id = pending, status = "queued" });

        var error = await answer.ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        Assert.That(error.ToString(), Does.Contain("template_id").And.Contain("pending in the WhatsApp Business Account"));
        Assert.That(MessagesFrom(number), Is.Empty);
    }

    private static (int FreeForm, int Template, int Failing) Window(JsonElement estimate)
    {
        var window = estimate.GetProperty("customer_window");
        return (window.GetProperty("as_free_form").GetInt32(), window.GetProperty("as_template").GetInt32(), window.GetProperty("failing").GetInt32());
    }

    private async Task<Guid> CreateGroupAsync(params (string FirstName, string Phone)[] members)
    {
        var group = (await (await Client.PostJsonAsync("/v1/contact-groups", new { name = "whatsapp " + Guid.NewGuid().ToString("N")[..8] })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        var contacts = members.Select(m => new { first_name = m.FirstName, phone = m.Phone });
        await (await Client.PostJsonAsync("/v1/contacts/import", new { contacts, group_ids = new[] { group } })).ExpectAsync(HttpStatusCode.OK);
        return group;
    }

    private async Task<string?> SendAsAsync(Guid template, Guid? channel, Guid contact)
    {
        var preview = (await (await Client.PostJsonAsync($"/v1/templates/{template}/preview", new { contact_id = contact, channel_id = channel, custom_values = new { order = "A-1" } }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        return preview.GetProperty("send_as").ValueKind == JsonValueKind.Null ? null : preview.GetProperty("send_as").GetString();
    }

    private async Task<Guid> ContactIdAsync(string phone) =>
        (await (await Client.GetAsync($"/v1/contacts?filter=phone:eq:{Uri.EscapeDataString(phone)}")).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("data").EnumerateArray().Single().GetProperty("id").GetGuid();

    private async Task<Guid> CreateGroupMessageAsync(object request) =>
        (await (await Client.PostJsonAsync("/v1/group-messages", request)).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

    private async Task<JsonElement> EstimateAsync(Guid send) =>
        (await (await Client.PostAsync($"/v1/group-messages/{send}/estimate", null)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

    private async Task<Guid> CreateTemplateAsync(string whatsAppName, string approval) =>
        (await (await Client.PostJsonAsync("/v1/templates", new
        {
            name = whatsAppName + " " + Guid.NewGuid().ToString("N")[..6],
            body = "Hello {FIRST_NAME}, your order {ORDER} is on its way.",
            channel_type = "whatsapp",
            language = "en_US",
            external_template_id = whatsAppName,
            approval_status = approval,
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
}
