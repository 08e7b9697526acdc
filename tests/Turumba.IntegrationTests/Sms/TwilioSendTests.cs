using System.Net;
using System.Text.Json;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Sms;

/// <summary>SMS through Twilio end to end: API → dispatch → Twilio adapter → simulated Twilio, and each error class.</summary>
[TestFixture]
public sealed class TwilioSendTests : TwilioSmsFixture
{
    protected override string Name => "twilio-send";

    [Test]
    public async Task Channel_is_verified_with_the_account_fetch_on_create()
    {
        var (channel, sid, _) = await CreateChannelAsync();

        var body = (await (await Client.GetAsync($"/v1/channels/{channel}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("connected"));
            Assert.That(Simulator.Twilio.Requests.Count(r => r.Resource == "Accounts" && r.AccountSid == sid), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Refused_token_leaves_the_channel_in_error_with_twilios_message()
    {
        var token = Guid.NewGuid().ToString("N");
        Simulator.Twilio.Faults.RejectToken(token);

        var (channel, _, _) = await CreateChannelAsync(token);

        var body = (await (await Client.GetAsync($"/v1/channels/{channel}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("error"));
            Assert.That(body.GetProperty("error_message").GetString(), Does.Contain("Authenticate").And.Contain("20003"));
        });
    }

    [Test]
    public async Task Message_is_one_form_post_and_ends_sent_with_the_sid_and_segments()
    {
        var (channel, sid, token) = await CreateChannelAsync();
        var text = new string('a', 161);

        var id = await SendAsync(channel, "+251911234567", text);
        var message = await WaitForStatusAsync(id, "sent");

        var request = MessagesTo(sid).Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Parameters["To"], Is.EqualTo("+251911234567"));
            Assert.That(request.Parameters["From"], Is.EqualTo("+15005550006"));
            Assert.That(request.Parameters["Body"], Is.EqualTo(text));
            Assert.That(request.Parameters["StatusCallback"], Is.EqualTo($"{PublicBaseUrl}/webhooks/sms/{channel}"));
            Assert.That(request.StatusCode, Is.EqualTo(201));
            Assert.That(message.GetProperty("metadata").GetProperty("provider_message_id").GetString(), Does.StartWith("SM").And.Length.EqualTo(34));
            Assert.That(message.GetProperty("metadata").GetProperty("num_segments").GetString(), Is.EqualTo("2"));
            Assert.That(token, Is.Not.Empty);
        });
    }

    [Test]
    public async Task A_delivery_address_that_is_no_phone_number_is_a_422_and_a_spaced_one_is_stored_in_e164()
    {
        var (channel, _, _) = await CreateChannelAsync();

        var error = await (await Client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "call me", message_body = "hi" }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var created = (await (await Client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "+251 911 23 45 67", message_body = "hi" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(error.GetProperty("details").GetProperty("errors")[0].GetProperty("field").GetString(), Is.EqualTo("delivery_address"));
            Assert.That(created.GetProperty("delivery_address").GetString(), Is.EqualTo("+251911234567"));
        });
    }

    [TestCase("+15005550001", "21211")]
    [TestCase("+15005550009", "21614")]
    public async Task Invalid_recipient_fails_at_once_naming_the_code(string to, string code)
    {
        var (channel, sid, _) = await CreateChannelAsync();

        var message = await WaitForStatusAsync(await SendAsync(channel, to, "hello"), "failed");

        Assert.Multiple(() =>
        {
            Assert.That(message.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo(code));
            Assert.That(message.GetProperty("error_details").GetProperty("message").GetString(), Does.Contain(code));
            Assert.That(MessagesTo(sid), Has.Count.EqualTo(1), "no retry");
        });
    }

    [Test]
    public async Task Server_errors_are_retried_then_sent()
    {
        var (channel, sid, _) = await CreateChannelAsync();
        Simulator.Twilio.Faults.FailNext(2);

        await WaitForStatusAsync(await SendAsync(channel, "+251911000001", "retry me"), "sent");

        Assert.That(MessagesTo(sid).Select(r => r.StatusCode), Is.EqualTo(new[] { 500, 500, 201 }));
    }

    [Test]
    public async Task Rate_limit_waits_for_retry_after_and_is_not_an_attempt()
    {
        var (channel, sid, _) = await CreateChannelAsync();
        Simulator.Twilio.Faults.RateLimitNext(1, 2);

        var message = await WaitForStatusAsync(await SendAsync(channel, "+251911000002", "slow down"), "sent");

        var calls = MessagesTo(sid);
        Assert.Multiple(() =>
        {
            Assert.That(calls.Select(r => r.StatusCode), Is.EqualTo(new[] { 429, 201 }));
            Assert.That(calls[1].ReceivedAt - calls[0].ReceivedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9)), "Retry-After: 2 honoured");
            Assert.That(message.GetProperty("status").GetString(), Is.EqualTo("sent"));
        });
    }

    [Test]
    public async Task Refused_credentials_fail_the_message_and_put_the_channel_in_error()
    {
        var (channel, sid, token) = await CreateChannelAsync();
        Simulator.Twilio.Faults.RejectToken(token);

        var message = await WaitForStatusAsync(await SendAsync(channel, "+251911000003", "hello"), "failed");

        var status = (await (await Client.GetAsync($"/v1/channels/{channel}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetProperty("status").GetString();
        Assert.Multiple(() =>
        {
            Assert.That(message.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("auth_error"));
            Assert.That(status, Is.EqualTo("error"));
            Assert.That(MessagesTo(sid).Single().StatusCode, Is.EqualTo(401));
        });
    }

    [Test]
    public async Task Unknown_client_error_is_permanent_with_twilios_message()
    {
        var (channel, _, _) = await CreateChannelAsync();

        var message = await WaitForStatusAsync(await SendAsync(channel, "+251911000004", new string('x', 1601)), "failed");

        Assert.That(message.GetProperty("error_details").GetProperty("message").GetString(), Does.Contain("1600 character limit"));
    }

    [Test]
    public async Task Signed_status_callbacks_mark_the_message_delivered()
    {
        var (channel, sid, _) = await CreateChannelAsync();

        var message = await WaitForStatusAsync(await SendAsync(channel, "+251911000005", "receipt please"), "delivered");

        var callbacks = Simulator.Twilio.Callbacks.Where(c => c.Parameters.GetValueOrDefault("AccountSid") == sid).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(callbacks.Select(c => c.Parameters["MessageStatus"]), Is.EquivalentTo(new[] { "sent", "delivered" }));
            Assert.That(callbacks.Select(c => c.StatusCode), Is.All.EqualTo(200));
            Assert.That(message.GetProperty("delivered_at").ValueKind, Is.EqualTo(JsonValueKind.String));
        });
    }

    [Test]
    public async Task Undelivered_callback_fails_the_message_with_twilios_code()
    {
        var (channel, _, _) = await CreateChannelAsync();
        Simulator.Twilio.Outcome = Turumba.Simulator.Twilio.TwilioOutcome.Undelivered;

        var message = await WaitForStatusAsync(await SendAsync(channel, "+251911000006", "nobody home"), "failed");

        Assert.That(message.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("30003"));
    }
}
