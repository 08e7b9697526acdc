using System.Net;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Email;

/// <summary>Email over SMTP end to end: API → dispatch → pooled MailKit session → the simulator's relay, and each reply class.</summary>
[TestFixture]
public sealed class SmtpSendTests : SmtpFixture
{
    protected override string Name => "smtp-send";

    [Test]
    public async Task Channel_is_verified_by_connecting_with_tls_and_authenticating()
    {
        var (_, username, channel) = await CreateChannelAsync();

        Assert.Multiple(() =>
        {
            Assert.That(channel.GetProperty("status").GetString(), Is.EqualTo("connected"));
            Assert.That(channel.GetProperty("credentials").GetProperty("password").GetString(), Does.Contain("****"));
            Assert.That(Simulator.Smtp.SessionsOf(username), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Verification_failures_name_what_failed()
    {
        var refused = "refused" + Guid.NewGuid().ToString("N")[..6];
        Simulator.Smtp.Faults.RejectToken(refused);

        var (_, _, auth) = await CreateChannelAsync(c => c["username"] = refused);
        var (_, _, tls) = await CreateChannelAsync(c => c.Remove("tls_certificate_sha256"));
        var (_, _, dns) = await CreateChannelAsync(c => c["host"] = "no-such-relay.invalid");

        Assert.Multiple(() =>
        {
            Assert.That(auth.GetProperty("status").GetString(), Is.EqualTo("error"));
            Assert.That(auth.GetProperty("error_message").GetString(), Does.Contain("Authentication"));
            Assert.That(tls.GetProperty("status").GetString(), Is.EqualTo("error"));
            Assert.That(tls.GetProperty("error_message").GetString(), Does.Contain("TLS"));
            Assert.That(dns.GetProperty("status").GetString(), Is.EqualTo("error"));
            Assert.That(dns.GetProperty("error_message").GetString(), Does.Contain("DNS"));
        });
    }

    [Test]
    public async Task Bad_credentials_are_refused_naming_the_field()
    {
        var credentials = Credentials("someone");
        credentials["host"] = "smtp.example.org";
        credentials["security"] = "none";
        credentials["port"] = "70000";
        credentials["from_address"] = "not an address";
        credentials.Remove("password");

        var response = await Client.PostJsonAsync("/v1/channels", new { name = "bad email", channel_type = "email", credentials });

        var error = await response.ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var fields = error.GetProperty("details").GetProperty("errors").EnumerateArray().Select(d => d.GetProperty("field").GetString()).ToList();
        Assert.That(fields, Is.SupersetOf(new[] { "credentials.password", "credentials.security", "credentials.port", "credentials.from_address" }));
    }

    [Test]
    public async Task Template_email_is_html_and_text_alternatives_with_subject_and_headers_for_the_contact()
    {
        var (channel, username, _) = await CreateChannelAsync();
        var template = await CreateTemplateAsync(new
        {
            name = "welcome " + username,
            channel_type = "email",
            subject = "Welcome, {FIRST_NAME}",
            body = "Hello {FIRST_NAME}, your account is ready.",
            html_body = "<p>Hello <b>{FIRST_NAME}</b>, your account is ready.</p>",
        });
        var abebe = await CreateContactAsync("abebe." + username + "@example.org", "Abebe");
        var sara = await CreateContactAsync("sara." + username + "@example.org", "Sara");

        var first = await SendAsync(new { channel_id = channel, contact_id = abebe, template_id = template, metadata = new { headers = new Dictionary<string, string> { ["X-Campaign"] = "welcome-abebe" } } });
        var second = await SendAsync(new { channel_id = channel, contact_id = sara, template_id = template, metadata = new { headers = new Dictionary<string, string> { ["X-Campaign"] = "welcome-sara" } } });
        var sent = await WaitForStatusAsync(first, "sent");
        await WaitForStatusAsync(second, "sent");

        var mail = MessageTo(username, $"abebe.{username}@example.org");
        var other = MessageTo(username, $"sara.{username}@example.org");
        Assert.Multiple(() =>
        {
            Assert.That(mail.ContentType, Is.EqualTo("multipart/alternative"));
            Assert.That(mail.Parts.Select(p => p.ContentType), Is.EqualTo(new[] { "text/plain", "text/html" }), "text first, the preferred HTML last");
            Assert.That(mail.TextBody!.Trim(), Is.EqualTo("Hello Abebe, your account is ready."));
            Assert.That(mail.HtmlBody!.Trim(), Is.EqualTo("<p>Hello <b>Abebe</b>, your account is ready.</p>"));
            Assert.That(mail.Subject, Is.EqualTo("Welcome, Abebe"));
            Assert.That(other.Subject, Is.EqualTo("Welcome, Sara"));
            Assert.That(mail.Header("X-Campaign"), Is.EqualTo("welcome-abebe"));
            Assert.That(other.Header("X-Campaign"), Is.EqualTo("welcome-sara"));
            Assert.That(mail.Header("From"), Is.EqualTo($"Turumba News <{From}>"));
            Assert.That(mail.Header("Reply-To"), Is.EqualTo("support@turumba.test"));
            Assert.That(mail.MailFrom, Is.EqualTo(From));
            Assert.That(mail.Header("X-Turumba-Message-Id"), Is.EqualTo(first.ToString()));
            Assert.That(mail.MessageId, Is.EqualTo(sent.GetProperty("metadata").GetProperty("provider_message_id").GetString()));
            Assert.That(mail.MessageId, Is.EqualTo($"{first:N}@turumba.test"));
        });
    }

    [Test]
    public async Task Html_only_template_gets_a_text_part_derived_from_the_html()
    {
        var (channel, username, _) = await CreateChannelAsync();
        var template = await CreateTemplateAsync(new
        {
            name = "html only " + username,
            subject = "Your order",
            html_body = "<h1>Order {ORDER}</h1><p>Track it <a href=\"https://shop.example.org/o/{ORDER}\">here</a>.</p>",
        });
        var to = $"buyer.{username}@example.org";

        await WaitForStatusAsync(await SendAsync(new { channel_id = channel, delivery_address = to, template_id = template, custom_values = new { order = "A-17" } }), "sent");

        var mail = MessageTo(username, to);
        Assert.Multiple(() =>
        {
            Assert.That(mail.ContentType, Is.EqualTo("multipart/alternative"));
            Assert.That(mail.TextBody!.Trim(), Is.EqualTo("Order A-17\n\nTrack it here (https://shop.example.org/o/A-17)."));
            Assert.That(mail.HtmlBody, Does.Contain("<h1>Order A-17</h1>"));
        });
    }

    [Test]
    public async Task Plain_message_is_one_text_part_with_the_metadata_subject()
    {
        var (channel, username, _) = await CreateChannelAsync();
        var to = $"plain.{username}@example.org";

        await WaitForStatusAsync(await SendAsync(new { channel_id = channel, delivery_address = to, message_body = "Just text.", metadata = new { subject = "Plain" } }), "sent");

        var mail = MessageTo(username, to);
        Assert.Multiple(() =>
        {
            Assert.That(mail.ContentType, Is.EqualTo("text/plain"));
            Assert.That(mail.Subject, Is.EqualTo("Plain"));
            Assert.That(mail.TextBody!.Trim(), Is.EqualTo("Just text."));
        });
    }

    [TestCase("{\"subject\":\"Hi\\r\\nBcc: victim@example.org\"}", "metadata.subject")]
    [TestCase("{\"subject\":\"Hi\",\"headers\":{\"X-Note\":\"a\\nBcc: victim@example.org\"}}", "metadata.headers.X-Note")]
    [TestCase("{\"subject\":\"Hi\",\"headers\":{\"Bcc\":\"victim@example.org\"}}", "metadata.headers.Bcc")]
    [TestCase("{\"subject\":\"Hi\",\"headers\":{\"X-Turumba-Message-Id\":\"forged\"}}", "metadata.headers.X-Turumba-Message-Id")]
    public async Task Header_injection_is_refused_with_a_422_and_nothing_is_sent(string metadata, string field)
    {
        var (channel, username, _) = await CreateChannelAsync();

        var response = await Client.PostJsonAsync("/v1/messages", new
        {
            channel_id = channel,
            delivery_address = $"x.{username}@example.org",
            message_body = "hello",
            metadata = System.Text.Json.JsonDocument.Parse(metadata).RootElement,
        });

        var error = await response.ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        Assert.Multiple(() =>
        {
            Assert.That(error.GetProperty("details").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()), Does.Contain(field));
            Assert.That(Simulator.Smtp.MessagesBy(username), Is.Empty);
        });
    }

    [Test]
    public async Task Many_sends_share_the_pooled_sessions()
    {
        var (channel, username, _) = await CreateChannelAsync();
        var verifySessions = Simulator.Smtp.SessionsOf(username);

        var ids = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add(await SendAsync(new { channel_id = channel, delivery_address = $"r{i}.{username}@example.org", message_body = $"n{i}", metadata = new { subject = "Pool" } }));
        }

        foreach (var id in ids)
        {
            await WaitForStatusAsync(id, "sent");
        }

        var sessions = Simulator.Smtp.SessionsOf(username) - verifySessions;
        Assert.Multiple(() =>
        {
            Assert.That(Simulator.Smtp.MessagesBy(username), Has.Count.EqualTo(40));
            Assert.That(sessions, Is.InRange(1, 4), "40 emails over at most the pool size (4) of sessions");
        });
    }

    [Test]
    public async Task Hard_bounce_fails_the_message_and_suppresses_the_address()
    {
        var (channel, username, _) = await CreateChannelAsync();
        var to = $"gone.{username}@example.org";
        Simulator.Smtp.RejectRecipient(to, "550 5.1.1 The email account that you tried to reach does not exist");

        var message = await WaitForStatusAsync(await SendAsync(new { channel_id = channel, delivery_address = to, message_body = "hello", metadata = new { subject = "x" } }), "failed");
        await Eventually.WaitAsync(async () => (await SuppressionsOfAsync(to)).Count == 1, Deadline, "the address suppressed");

        var suppression = (await SuppressionsOfAsync(to)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(message.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("550 5.1.1"));
            Assert.That(message.GetProperty("error_details").GetProperty("message").GetString(), Does.Contain("does not exist"));
            Assert.That(suppression.GetProperty("reason").GetString(), Is.EqualTo("bounce"));
            Assert.That(suppression.GetProperty("channel_type").GetString(), Is.EqualTo("email"));
        });
    }

    [Test]
    public async Task Policy_refusal_fails_the_message_without_suppressing()
    {
        var (channel, username, _) = await CreateChannelAsync();
        var to = $"policy.{username}@example.org";
        Simulator.Smtp.RejectRecipient(to, "550 5.7.1 Relaying denied by policy");

        var message = await WaitForStatusAsync(await SendAsync(new { channel_id = channel, delivery_address = to, message_body = "hello", metadata = new { subject = "x" } }), "failed");

        Assert.Multiple(async () =>
        {
            Assert.That(message.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("550 5.7.1"));
            Assert.That(await SuppressionsOfAsync(to), Is.Empty);
        });
    }

    [Test]
    public async Task Temporary_reply_and_dropped_connection_are_retried_until_the_relay_takes_the_message()
    {
        var (channel, username, _) = await CreateChannelAsync();
        Simulator.Smtp.Faults.FailNext(1);
        var deferred = await SendAsync(new { channel_id = channel, delivery_address = $"busy.{username}@example.org", message_body = "hello", metadata = new { subject = "x" } });
        await WaitForStatusAsync(deferred, "sent");

        Simulator.Smtp.DropNext(1);
        var dropped = await SendAsync(new { channel_id = channel, delivery_address = $"drop.{username}@example.org", message_body = "hello", metadata = new { subject = "x" } });
        await WaitForStatusAsync(dropped, "sent");

        Assert.That(Simulator.Smtp.MessagesBy(username).Select(m => m.RcptTo.Single()),
            Is.EquivalentTo(new[] { $"busy.{username}@example.org", $"drop.{username}@example.org" }), "each accepted once, after its retry");
    }

    [Test]
    public async Task Too_many_messages_pauses_the_channel_and_the_message_goes_later()
    {
        var (channel, username, _) = await CreateChannelAsync();
        Simulator.Smtp.Faults.RateLimitNext(1, 1);

        await WaitForStatusAsync(await SendAsync(new { channel_id = channel, delivery_address = $"rate.{username}@example.org", message_body = "hello", metadata = new { subject = "x" } }), "sent");

        var metrics = await (await Provider.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(Simulator.Smtp.MessagesBy(username), Has.Count.EqualTo(1));
            Assert.That(metrics.Split('\n').Where(l => l.StartsWith("turumba_dispatch_rate_limit_hits_total{", StringComparison.Ordinal)), Has.Some.Contains("channel_type=\"email\""));
        });
    }

    [Test]
    public async Task Refused_authentication_at_send_puts_the_channel_in_error()
    {
        var (channel, username, _) = await CreateChannelAsync();
        Simulator.Smtp.Faults.RejectToken(username);

        var id = await SendAsync(new { channel_id = channel, delivery_address = $"auth.{username}@example.org", message_body = "hello", metadata = new { subject = "x" } });

        await Eventually.WaitAsync(async () =>
            (await (await Client.GetAsync($"/v1/channels/{channel}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetProperty("status").GetString() == "error",
            Deadline, "the channel in error");
        Assert.That(Simulator.Smtp.MessagesBy(username), Is.Empty, $"message {id} not accepted");
    }
}
