using System.Net;
using System.Text.Json.Nodes;
using Turumba.Simulator;
using Turumba.Simulator.Smtp;

namespace Turumba.IntegrationTests.Email;

/// <summary>
/// Amazon SES events through SNS, posted by the simulator (its own signing certificate, served on its
/// loopback host, which the host trusts by configuration in Testing): the subscription is confirmed,
/// relayed mail ends delivered, bounces and complaints suppress as SES says; forged posts change nothing.
/// </summary>
[TestFixture]
public sealed class SesEventTests : SmtpFixture
{
    protected override string Name => "smtp-ses";

    protected override IReadOnlyDictionary<string, string?> ProviderSettings => new Dictionary<string, string?>(base.ProviderSettings)
    {
        ["Turumba:Adapters:Smtp:SnsHosts:0"] = Simulator.BaseUrl.Authority,
    };

    protected override void RouteCallbacks(HttpMessageInvoker host) => Simulator.Smtp.Events.CallbackClient = host;

    [Test]
    public async Task A_confirmed_feed_delivers_and_bounces_and_complaints_suppress_as_ses_says()
    {
        var (channel, username, _) = await CreateSesChannelAsync();
        var confirmation = await Simulator.Smtp.Events.SubscribeAsync(username, SmtpEventFeeds.Ses, Hook(channel));
        Assert.That(confirmation?.StatusCode, Is.EqualTo(200), confirmation?.Response);
        Assert.That(Simulator.Smtp.Events.IsConfirmed(username), Is.True, "the host visited SubscribeURL");

        var tag = Guid.NewGuid().ToString("N")[..8];
        var delivered = $"ok.{tag}@example.org";
        var hard = $"hard.{tag}@example.org";
        var soft = $"soft.{tag}@example.org";
        var complainer = $"complains.{tag}@example.org";
        Simulator.Smtp.Events.SetOutcome(hard, "Permanent");
        Simulator.Smtp.Events.SetOutcome(soft, "Transient");
        Simulator.Smtp.Events.SetOutcome(complainer, "Complaint");
        var ids = new Dictionary<string, Guid>();
        foreach (var to in new[] { delivered, hard, soft, complainer })
        {
            ids[to] = await SendAsync(new { channel_id = channel, delivery_address = to, message_body = "hello", metadata = new { subject = "SES" } });
        }

        await WaitForStatusAsync(ids[delivered], "delivered");
        var bounced = await WaitForStatusAsync(ids[hard], "failed");
        await WaitForStatusAsync(ids[soft], "failed");
        await WaitForStatusAsync(ids[complainer], "delivered");
        await Eventually.WaitAsync(async () => (await SuppressionsOfAsync(hard)).Count == 1 && (await SuppressionsOfAsync(complainer)).Count == 1,
            Deadline, "the hard bounce and the complaint suppressed");

        Assert.Multiple(async () =>
        {
            Assert.That(bounced.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("5.1.1"));
            Assert.That((await SuppressionsOfAsync(hard))[0].GetProperty("reason").GetString(), Is.EqualTo("bounce"));
            Assert.That((await SuppressionsOfAsync(complainer))[0].GetProperty("reason").GetString(), Is.EqualTo("complaint"));
            Assert.That(await SuppressionsOfAsync(soft), Is.Empty, "a transient bounce does not suppress");
            Assert.That(await SuppressionsOfAsync(delivered), Is.Empty);
            Assert.That(Simulator.Smtp.Events.Posts.Where(p => p.Url == Hook(channel)).Select(p => p.StatusCode), Is.All.EqualTo(200));
        });
    }

    [Test]
    public async Task Unsigned_altered_or_foreign_certificate_notifications_are_refused_and_change_nothing()
    {
        var (channel, username, _) = await CreateSesChannelAsync();
        var to = $"refusals.{Guid.NewGuid():N}@example.org";
        var id = await SendAsync(new { channel_id = channel, delivery_address = to, message_body = "hello", metadata = new { subject = "SES" } });
        await WaitForStatusAsync(id, "sent");
        var relayed = MessageTo(username, to);
        var events = Simulator.Smtp.Events;
        var bounce = SmtpEventFeeds.SesEvent("Bounce", relayed, to);
        var signedBounce = events.SnsEnvelope("Notification", bounce, signatureVersion: 2);

        var altered = JsonNode.Parse(signedBounce)!;
        altered["Message"] = SmtpEventFeeds.SesEvent("Complaint", relayed, to);
        var unsigned = JsonNode.Parse(signedBounce)!.AsObject();
        unsigned.Remove("Signature");
        var refusals = new Dictionary<string, string>
        {
            ["altered body"] = altered.ToJsonString(),
            ["missing signature"] = unsigned.ToJsonString(),
            ["unknown signature version"] = signedBounce.Replace("\"SignatureVersion\":\"2\"", "\"SignatureVersion\":\"3\"", StringComparison.Ordinal),
            ["certificate host not SNS"] = events.SnsEnvelope("Notification", bounce, certificateUrl: "https://sns.us-east-1.amazonaws.com.example.org/cert.pem"),
            ["certificate of another region"] = events.SnsEnvelope("Notification", bounce, certificateUrl: "https://sns.eu-west-1.amazonaws.com/cert.pem"),
            ["certificate over http on an SNS host"] = events.SnsEnvelope("Notification", bounce, certificateUrl: "http://sns.us-east-1.amazonaws.com/cert.pem"),
            ["certificate on a loopback host not listed"] = events.SnsEnvelope("Notification", bounce, certificateUrl: $"http://localhost:{Simulator.BaseUrl.Port + 1}/cert.pem"),
        };
        var answers = new Dictionary<string, HttpStatusCode>();
        foreach (var (name, body) in refusals)
        {
            answers[name] = (await events.PostSnsAsync(Hook(channel), body)) is var post ? (HttpStatusCode)post.StatusCode : default;
        }

        var otherTopic = await CreateSesChannelAsync(c => c["ses_topic_arn"] = "arn:aws:sns:us-east-1:000000000000:someone-else");
        var foreignTopic = await events.PostSnsAsync(Hook(otherTopic.Channel), events.SnsEnvelope("Notification", SmtpEventFeeds.SesEvent("Delivery", relayed, to)));
        var foreignConfirm = await events.PostSnsAsync(Hook(channel), events.SnsEnvelope("SubscriptionConfirmation", "confirm",
            token: "t", subscribeUrl: "https://example.org/?Action=ConfirmSubscription&Token=t"));

        var stillSent = await WaitForStatusAsync(id, "sent");
        var signedV1 = await events.PostSnsAsync(Hook(channel), events.SnsEnvelope("Notification", bounce, signatureVersion: 1));
        await WaitForStatusAsync(id, "failed");
        await Eventually.WaitAsync(async () => (await SuppressionsOfAsync(to)).Count == 1, Deadline, "suppressed by the signed bounce");

        Assert.Multiple(() =>
        {
            foreach (var (name, status) in answers)
            {
                Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), name);
            }

            Assert.That((HttpStatusCode)foreignTopic.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "another channel's topic");
            Assert.That((HttpStatusCode)foreignConfirm.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a SubscribeURL off the SNS hosts is not visited");
            Assert.That(foreignConfirm.Response, Does.Contain("forbidden"));
            Assert.That(stillSent.GetProperty("status").GetString(), Is.EqualTo("sent"), "no refused post moved the message");
            Assert.That((HttpStatusCode)signedV1.StatusCode, Is.EqualTo(HttpStatusCode.OK), "SignatureVersion 1 (SHA1withRSA) verifies");
        });
    }

    [Test]
    public async Task Opens_are_read_only_on_a_channel_that_opts_in()
    {
        var plain = await DeliveredAsync(await CreateSesChannelAsync());
        var optedIn = await DeliveredAsync(await CreateSesChannelAsync(c => c["email_opens_as_read"] = "true"));
        var events = Simulator.Smtp.Events;

        // The plain channel's open goes first; by the time the opted-in channel's later open is applied, it has been too.
        var plainOpen = await events.PostSnsAsync(Hook(plain.Channel), events.SnsEnvelope("Notification", SmtpEventFeeds.SesEvent("Open", plain.Relayed, plain.To)));
        var optedInOpen = await events.PostSnsAsync(Hook(optedIn.Channel), events.SnsEnvelope("Notification", SmtpEventFeeds.SesEvent("Open", optedIn.Relayed, optedIn.To)));
        await WaitForStatusAsync(optedIn.Id, "read");
        var plainMessage = await WaitForStatusAsync(plain.Id, "delivered");

        Assert.Multiple(() =>
        {
            Assert.That(plainOpen.StatusCode, Is.EqualTo(200), "accepted and ignored");
            Assert.That(optedInOpen.StatusCode, Is.EqualTo(200));
            Assert.That(plainMessage.GetProperty("status").GetString(), Is.EqualTo("delivered"));
        });
    }

    private async Task<(Guid Channel, Guid Id, string To, SmtpMessage Relayed)> DeliveredAsync((Guid Channel, string Username, System.Text.Json.JsonElement Body) channel)
    {
        var to = $"opens.{Guid.NewGuid():N}@example.org";
        var id = await SendAsync(new { channel_id = channel.Channel, delivery_address = to, message_body = "hello", metadata = new { subject = "SES" } });
        await WaitForStatusAsync(id, "sent");
        var relayed = MessageTo(channel.Username, to);
        var events = Simulator.Smtp.Events;
        var post = await events.PostSnsAsync(Hook(channel.Channel), events.SnsEnvelope("Notification", SmtpEventFeeds.SesEvent("Delivery", relayed, to)));
        Assert.That(post.StatusCode, Is.EqualTo(200), post.Response);
        await WaitForStatusAsync(id, "delivered");
        return (channel.Channel, id, to, relayed);
    }

    private static string Hook(Guid channel) => $"{PublicBaseUrl}/webhooks/email/{channel}";

    private Task<(Guid Channel, string Username, System.Text.Json.JsonElement Body)> CreateSesChannelAsync(Action<Dictionary<string, string>>? change = null) =>
        CreateChannelAsync(c =>
        {
            c["events_provider"] = "ses";
            c["ses_topic_arn"] = Simulator.Smtp.Events.TopicArn;
            change?.Invoke(c);
        });
}
