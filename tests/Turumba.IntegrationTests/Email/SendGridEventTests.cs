using System.Net;
using System.Security.Cryptography;
using System.Text;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Email;

/// <summary>SendGrid Event Webhook posts through the real host: signed events move the message once; a bad signature or an old timestamp is a 401.</summary>
[TestFixture]
public sealed class SendGridEventTests : SmtpFixture
{
    private const string Header = "X-Twilio-Email-Event-Webhook-";
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    protected override string Name => "smtp-sendgrid";

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    [Test]
    public async Task Signed_events_are_applied_once_and_bad_or_old_signatures_refused()
    {
        var publicKey = Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());
        var (channel, _, _) = await CreateChannelAsync(c =>
        {
            c["events_provider"] = "sendgrid";
            c["sendgrid_public_key"] = publicKey;
        });
        var to = $"events.{Guid.NewGuid():N}@example.org";
        var id = await SendAsync(new { channel_id = channel, delivery_address = to, message_body = "hello", metadata = new { subject = "x" } });
        var sent = await WaitForStatusAsync(id, "sent");
        var messageId = sent.GetProperty("metadata").GetProperty("provider_message_id").GetString();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = $$"""[{"email":"{{to}}","timestamp":{{now}},"smtp-id":"<{{messageId}}>","event":"delivered","sg_event_id":"ev-{{id:N}}"}]""";

        var forged = await PostAsync(channel, body, now, Sign(now, body.Replace("delivered", "bounce", StringComparison.Ordinal)));
        var old = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var replayed = await PostAsync(channel, body, old, Sign(old, body));
        var first = await PostAsync(channel, body, now, Sign(now, body));
        var again = await PostAsync(channel, body, now, Sign(now, body));
        await WaitForStatusAsync(id, "delivered");

        Assert.Multiple(() =>
        {
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(replayed.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a repeat is accepted and not applied again");
        });
    }

    private string Sign(string timestamp, string body) =>
        Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    private async Task<HttpResponseMessage> PostAsync(Guid channel, string body, string timestamp, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/email/{channel}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(Header + "Timestamp", timestamp);
        request.Headers.Add(Header + "Signature", signature);
        return await Provider.SendAsync(request);
    }
}
