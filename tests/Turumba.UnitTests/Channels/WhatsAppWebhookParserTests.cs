using System.Text;
using Turumba.Adapters.Meta;

namespace Turumba.UnitTests.Channels;

/// <summary>WhatsApp webhooks as Meta documents them (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples).</summary>
[TestFixture]
public sealed class WhatsAppWebhookParserTests
{
    private const string Metadata = """
        "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}
        """;

    // Each value is written with META where the value's metadata goes.
    private static byte[] Notification(params string[] values) => Encoding.UTF8.GetBytes(
        """{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[""" +
        string.Join(',', values.Select(v => """{"value":""" + v.Replace("META", Metadata, StringComparison.Ordinal) + ""","field":"messages"}""")) +
        "]}]}");

    [Test]
    public void A_text_message_names_its_sender_and_profile()
    {
        var body = Notification("""{META,"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]}""");

        var message = WhatsAppWebhookParser.ParseInbound(body).Single();

        Assert.That(message.SenderAddress, Is.EqualTo("+16505551234"));
        Assert.That(message.SenderName, Is.EqualTo("Sheena Nelson"));
        Assert.That(message.Body, Is.EqualTo("Does it come in another color?"));
        Assert.That(message.ProviderMessageId, Does.StartWith("wamid."));
        Assert.That(message.ReceivedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1749416383)));
        Assert.That(message.Kind, Is.EqualTo("text"));
    }

    [Test]
    public void Media_button_and_reply_context_are_read()
    {
        var body = Notification("""{META,"contacts":[{"profile":{"name":"A"},"wa_id":"251911234567"}],"messages":[{"from":"251911234567","id":"wamid.1","timestamp":"1749416383","type":"image","image":{"caption":"My receipt","mime_type":"image/jpeg","sha256":"abc","id":"1003383421387256"}},{"from":"251911234567","id":"wamid.2","timestamp":"1749416384","type":"interactive","context":{"from":"15550783881","id":"wamid.out"},"interactive":{"type":"button_reply","button_reply":{"id":"yes","title":"Yes, please"}}},{"from":"251911234567","id":"wamid.3","timestamp":"1749416385","type":"location","location":{"latitude":9.03,"longitude":38.74,"name":"Bole"}}]}""");

        var messages = WhatsAppWebhookParser.ParseInbound(body);

        Assert.That(messages[0].MediaFileIds, Is.EqualTo(new[] { "1003383421387256" }));
        Assert.That(messages[0].Body, Is.EqualTo("My receipt"));
        Assert.That(messages[1].Body, Is.EqualTo("Yes, please"));
        Assert.That(messages[1].ReplyToProviderMessageId, Is.EqualTo("wamid.out"));
        Assert.That(messages[2].Body, Is.EqualTo("Bole, 9.03,38.74"));
    }

    [Test]
    public void Statuses_map_to_ours_with_one_event_per_step()
    {
        var body = Notification(
            """{META,"statuses":[{"id":"wamid.A","status":"sent","timestamp":"1750263773","recipient_id":"16505551234","conversation":{"id":"c","origin":{"type":"utility"}},"pricing":{"billable":true,"pricing_model":"PMP","category":"utility"}}]}""",
            """{META,"statuses":[{"id":"wamid.A","status":"delivered","timestamp":"1750263774","recipient_id":"16505551234"},{"id":"wamid.A","status":"read","timestamp":"1750263780","recipient_id":"16505551234"}]}""");

        var updates = WhatsAppWebhookParser.ParseStatuses(body);

        Assert.That(updates.Select(u => u.Status), Is.EqualTo(new[] { "sent", "delivered", "read" }));
        Assert.That(updates.Select(u => u.EventId).Distinct().Count(), Is.EqualTo(3));
        Assert.That(updates[0].RecipientAddress, Is.EqualTo("+16505551234"));
    }

    [Test]
    public void A_failed_status_carries_its_error_and_131047_is_outside_the_window()
    {
        var body = Notification("""{META,"statuses":[{"id":"wamid.F","status":"failed","timestamp":"1750263773","recipient_id":"1","errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}]},{"id":"wamid.G","status":"failed","timestamp":"1750263773","recipient_id":"1","errors":[{"code":131026,"title":"Message undeliverable","error_data":{"details":"Receiver is incapable of receiving this message"}}]}]}""");

        var updates = WhatsAppWebhookParser.ParseStatuses(body);

        Assert.That(updates[0].ErrorCode, Is.EqualTo("outside_customer_service_window"));
        Assert.That(updates[0].ErrorMessage, Does.Contain("24 hours"));
        Assert.That(updates[1].ErrorCode, Is.EqualTo("131026"));
    }

    [Test]
    public void A_body_that_is_not_a_whatsapp_notification_is_refused() =>
        Assert.That(() => WhatsAppWebhookParser.ParseStatuses(Encoding.UTF8.GetBytes("""{"object":"page","entry":[]}""")), Throws.InstanceOf<FormatException>());
}
