using System.Net;
using System.Text.Json;
using Turumba.Simulator.Twilio;

namespace Turumba.IntegrationTests.Sms;

/// <summary>
/// The suppression list end to end: STOP and START texts, Twilio's 21610 on a send and in a status
/// callback, Telegram's "bot was blocked", and a group send that leaves suppressed members out.
/// </summary>
[TestFixture]
public sealed class SuppressionTests : TwilioSmsFixture
{
    protected override string Name => "suppressions";

    [Test]
    public async Task Stop_suppresses_the_sender_until_start_lifts_it()
    {
        var (channel, sid, _) = await CreateChannelAsync();
        const string Phone = "+251911300001";
        await WaitForStatusAsync(await SendAsync(channel, Phone, "first"), "sent");
        var url = $"{PublicBaseUrl}/webhooks/sms/{channel}";

        await Simulator.Twilio.DeliverInboundAsync(sid, Phone, "+15005550006", " stop ", null, url, default);
        var suppression = await WaitForSuppressionAsync(Phone, "sms");
        var refused = await WaitForStatusAsync(await SendAsync(channel, "+251 911 300 001", "second"), "failed");
        var callsWhileSuppressed = MessagesTo(sid).Count;

        await Simulator.Twilio.DeliverInboundAsync(sid, Phone, "+15005550006", "START", null, url, default);
        await Eventually.WaitAsync(async () => (await ListAsync($"filter=address:eq:{Uri.EscapeDataString(Phone)}")).Count == 0, Deadline, "the suppression lifted");
        await WaitForStatusAsync(await SendAsync(channel, Phone, "third"), "sent");

        Assert.Multiple(() =>
        {
            Assert.That(suppression.GetProperty("reason").GetString(), Is.EqualTo("opt_out"));
            Assert.That(suppression.GetProperty("source").GetString(), Is.EqualTo("sms_keyword"));
            Assert.That(refused.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("suppressed"));
            Assert.That(callsWhileSuppressed, Is.EqualTo(1), "no provider request for the suppressed send");
            Assert.That(MessagesTo(sid).Select(r => r.Parameters["Body"]), Is.EqualTo(new[] { "first", "third" }));
        });
    }

    [Test]
    public async Task A_reply_that_only_mentions_stop_suppresses_nothing()
    {
        var (channel, sid, _) = await CreateChannelAsync();
        const string Phone = "+251911300002";

        await Simulator.Twilio.DeliverInboundAsync(sid, Phone, "+15005550006", "Please stop by the shop", null, $"{PublicBaseUrl}/webhooks/sms/{channel}", default);
        await WaitForInboundAsync(channel, 1);
        await WaitForStatusAsync(await SendAsync(channel, Phone, "still reachable"), "sent");

        Assert.That(await ListAsync($"filter=address:eq:{Uri.EscapeDataString(Phone)}"), Is.Empty);
    }

    [Test]
    public async Task Twilio_21610_on_a_send_suppresses_the_recipient()
    {
        var (channel, sid, _) = await CreateChannelAsync();
        const string Unsubscribed = "+15005550004";

        var first = await WaitForStatusAsync(await SendAsync(channel, Unsubscribed, "hello"), "failed");
        var suppression = await WaitForSuppressionAsync(Unsubscribed, "sms");
        var second = await WaitForStatusAsync(await SendAsync(channel, Unsubscribed, "hello again"), "failed");

        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("21610"));
            Assert.That(suppression.GetProperty("reason").GetString(), Is.EqualTo("opt_out"));
            Assert.That(suppression.GetProperty("source").GetString(), Is.EqualTo("provider_error"));
            Assert.That(second.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("suppressed"));
            Assert.That(MessagesTo(sid), Has.Count.EqualTo(1), "the second send never reached Twilio");
        });
    }

    [Test]
    public async Task An_undelivered_callback_with_21610_suppresses_the_recipient()
    {
        var (channel, sid, _) = await CreateChannelAsync();
        Simulator.Twilio.Outcome = TwilioOutcome.Silent;
        const string Phone = "+251911300003";
        var id = await SendAsync(channel, Phone, "hello");
        var messageSid = (await WaitForStatusAsync(id, "sent")).GetProperty("metadata").GetProperty("provider_message_id").GetString()!;

        await Simulator.Twilio.DeliverStatusAsync(sid, $"{PublicBaseUrl}/webhooks/sms/{channel}", messageSid, Phone, "undelivered", "21610", default);
        var failed = await WaitForStatusAsync(id, "failed");
        var suppression = await WaitForSuppressionAsync(Phone, "sms");

        Assert.Multiple(() =>
        {
            Assert.That(failed.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("21610"));
            Assert.That(suppression.GetProperty("source").GetString(), Is.EqualTo("status_callback"));
        });
    }

    [Test]
    public async Task A_telegram_chat_that_blocked_the_bot_is_suppressed()
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var channel = (await (await Client.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "blocked bot",
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = Simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var chat = $"-403{Random.Shared.Next(100_000, 999_999)}";

        await WaitForStatusAsync(await SendAsync(channel, chat, "hello"), "failed");
        var suppression = await WaitForSuppressionAsync(chat, "telegram");
        var second = await WaitForStatusAsync(await SendAsync(channel, chat, "hello?"), "failed");

        Assert.Multiple(() =>
        {
            Assert.That(suppression.GetProperty("reason").GetString(), Is.EqualTo("blocked"));
            Assert.That(second.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("suppressed"));
        });
    }

    [Test]
    public async Task A_stored_address_that_is_no_phone_number_fails_alone_without_a_provider_call()
    {
        var (channel, sid, _) = await CreateChannelAsync();
        // A contact stored before phone numbers were normalised: the API would refuse this phone now.
        var contact = (await (await Client.PostJsonAsync("/v1/contacts", new { first_name = "Old", phone = "+251911300005" })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        await using (var connection = new Npgsql.NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("update contacts.contacts set phone = '12345' where id = $1", connection);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = contact });
            await command.ExecuteNonQueryAsync();
        }

        var refused = await WaitForStatusAsync(await SendAsync(new { channel_id = channel, contact_id = contact, message_body = "hello" }), "failed");
        var spaced = await WaitForStatusAsync(await SendAsync(channel, "+251 911 300 004", "hello"), "sent");

        Assert.Multiple(() =>
        {
            Assert.That(refused.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("invalid_phone_number"));
            Assert.That(MessagesTo(sid).Select(r => r.Parameters["To"]), Is.EqualTo(new[] { "+251911300004" }), "sent in E.164");
            Assert.That(spaced.GetProperty("status").GetString(), Is.EqualTo("sent"));
        });
    }

    [Test]
    public async Task A_group_send_leaves_suppressed_members_out_and_counts_them()
    {
        var (channel, sid, _) = await CreateChannelAsync();
        var prefix = Random.Shared.Next(100, 999);
        var phones = Enumerable.Range(0, 100).Select(i => $"+251911{prefix}{i:D3}").ToList();
        var group = (await (await Client.PostJsonAsync("/v1/contact-groups", new { name = "suppressed " + prefix })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        await (await Client.PostJsonAsync("/v1/contacts/import", new { contacts = phones.Select((p, i) => new { first_name = $"C{i}", phone = p }), group_ids = new[] { group } }))
            .ExpectAsync(HttpStatusCode.OK);
        // One on sms, one on every channel, one written with spaces: all three must match.
        await AddSuppressionAsync(phones[10], "sms");
        await AddSuppressionAsync(phones[50], "all");
        await AddSuppressionAsync($"{phones[90][..4]} {phones[90][4..7]} {phones[90][7..]}", "sms");
        await AddSuppressionAsync(phones[20], "telegram");

        var send = (await (await Client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, message_body = "Hi {FIRST_NAME}", status = "queued" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        JsonElement done = default;
        await Eventually.WaitAsync(async () =>
        {
            done = (await (await Client.GetAsync($"/v1/group-messages/{send}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
            return done.GetProperty("status").GetString() == "completed";
        }, Deadline, "the group send completed");
        var saga = (await (await Client.GetAsync($"/v1/group-messages/{send}/saga")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        var sentTo = MessagesTo(sid).Select(r => r.Parameters["To"]).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sentTo, Has.Count.EqualTo(97));
            Assert.That(sentTo, Does.Not.Contain(phones[10]).And.Not.Contain(phones[50]).And.Not.Contain(phones[90]));
            Assert.That(sentTo, Does.Contain(phones[20]), "a telegram suppression does not hold on sms");
            Assert.That(done.GetProperty("suppressed_count").GetInt32(), Is.EqualTo(3));
            Assert.That(done.GetProperty("total_recipients").GetInt32(), Is.EqualTo(97));
            Assert.That(done.GetProperty("sent_count").GetInt32() + done.GetProperty("delivered_count").GetInt32(), Is.EqualTo(97));
            Assert.That(saga.GetProperty("counters").GetProperty("suppressed").GetInt32(), Is.EqualTo(3));
        });
    }

    private async Task AddSuppressionAsync(string address, string channelType) =>
        await (await Client.PostJsonAsync("/v1/suppressions", new { address, channel_type = channelType })).ExpectAsync(HttpStatusCode.Created);

    private async Task<List<JsonElement>> ListAsync(string query) =>
        (await (await Client.GetAsync($"/v1/suppressions?{query}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();

    private async Task<JsonElement> WaitForSuppressionAsync(string address, string channelType)
    {
        List<JsonElement> found = [];
        await Eventually.WaitAsync(async () =>
            (found = await ListAsync($"filter=address:eq:{Uri.EscapeDataString(address)}&filter=channel_type:eq:{channelType}")).Count == 1,
            Deadline, $"{address} suppressed on {channelType}");
        return found[0];
    }
}
