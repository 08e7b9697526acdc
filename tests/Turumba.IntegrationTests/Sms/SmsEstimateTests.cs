using System.Net;
using System.Text.Json;

namespace Turumba.IntegrationTests.Sms;

/// <summary>Segments and cost before sending: the template preview and a group send's estimate, on an SMS channel.</summary>
[TestFixture]
public sealed class SmsEstimateTests : TwilioSmsFixture
{
    protected override string Name => "sms-estimate";

    [Test]
    public async Task Estimate_counts_each_recipients_segments_and_prices_them_without_sending()
    {
        var (channel, sid, _) = await CreateChannelAsync();
        await (await Client.PatchJsonAsync($"/v1/channels/{channel}?verify=false", new { cost_per_segment = 0.0075m })).ExpectAsync(HttpStatusCode.OK);
        var group = (await (await Client.PostJsonAsync("/v1/contact-groups", new { name = "estimate" })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        var contacts = new object[]
        {
            new { first_name = "Abebe", phone = "+251911000001" },
            new { first_name = "ሰላማዊት", phone = "+251911000002" },
            new { first_name = new string('a', 60), phone = "+251911000003" },
            new { first_name = "Email only", email = "only@example.com" },
        };
        var imported = await (await Client.PostJsonAsync("/v1/contacts/import", new { contacts, group_ids = new[] { group } })).ExpectAsync(HttpStatusCode.OK);
        Assert.That(imported.GetProperty("data").GetProperty("created").GetInt32(), Is.EqualTo(4), imported.ToString());
        var body = "Hi {FIRST_NAME}! " + new string('x', 100);
        var send = (await (await Client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, message_body = body }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        var estimate = (await (await Client.PostAsync($"/v1/group-messages/{send}/estimate", null)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(estimate.GetProperty("recipients").GetInt32(), Is.EqualTo(3));
            Assert.That(estimate.GetProperty("skipped").GetInt32(), Is.EqualTo(1), "the contact without a phone");
            Assert.That(estimate.GetProperty("segments").GetInt64(), Is.EqualTo(5), "110 septets: 1; 111 UCS-2 units: 2; 165 septets: 2");
            Assert.That(estimate.GetProperty("messages_by_segments").GetProperty("1").GetInt32(), Is.EqualTo(1));
            Assert.That(estimate.GetProperty("messages_by_segments").GetProperty("2").GetInt32(), Is.EqualTo(2));
            Assert.That(estimate.GetProperty("messages_by_encoding").GetProperty("UCS-2").GetInt32(), Is.EqualTo(1));
            Assert.That(estimate.GetProperty("estimated_cost").GetDecimal(), Is.EqualTo(0.0375m));
            Assert.That(MessagesTo(sid), Is.Empty, "nothing sent");
        });
    }

    [Test]
    public async Task Preview_on_an_sms_channel_type_shows_encoding_and_segments()
    {
        var template = (await (await Client.PostJsonAsync("/v1/templates", new { name = "promo", body = "Selam {name}, 20€ off today" })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();

        var preview = (await (await Client.PostJsonAsync($"/v1/templates/{template}/preview", new { custom_values = new { name = "Almaz" }, channel_type = "sms" }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var telegram = (await (await Client.PostJsonAsync($"/v1/templates/{template}/preview", new { custom_values = new { name = "Almaz" }, channel_type = "telegram" }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(preview.GetProperty("sms").GetProperty("encoding").GetString(), Is.EqualTo("GSM-7"));
            Assert.That(preview.GetProperty("sms").GetProperty("segments").GetInt32(), Is.EqualTo(1));
            Assert.That(preview.GetProperty("sms").GetProperty("units").GetInt32(), Is.EqualTo(27), "€ counts two septets");
            Assert.That(telegram.GetProperty("sms").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }
}
