using System.Text;
using Turumba.Adapters.Smtp;

namespace Turumba.UnitTests.Channels;

/// <summary>SendGrid's Event Webhook: the signature check on SendGrid's published vector (sendgrid-csharp RequestValidatorTests), the event table.</summary>
[TestFixture]
public sealed class SendGridEventsTests
{
    private const string PublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
    private const string OtherKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==";
    private const string Payload = "{\"category\":\"example_payload\",\"event\":\"test_event\",\"message_id\":\"message_id\"}";
    private const string Signature = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=";
    private const string Timestamp = "1588788367";

    [Test]
    public void Published_vector_verifies_and_every_altered_part_fails()
    {
        var body = Encoding.UTF8.GetBytes(Payload);
        Assert.Multiple(() =>
        {
            Assert.That(SendGridEvents.Verify(PublicKey, Signature, Timestamp, body), Is.True);
            Assert.That(SendGridEvents.Verify(OtherKey, Signature, Timestamp, body), Is.False);
            Assert.That(SendGridEvents.Verify(PublicKey, Signature, Timestamp, Encoding.UTF8.GetBytes("payload")), Is.False);
            Assert.That(SendGridEvents.Verify(PublicKey, "signature", Timestamp, body), Is.False);
            Assert.That(SendGridEvents.Verify(PublicKey, Signature, "timestamp", body), Is.False);
            Assert.That(SendGridEvents.Verify(PublicKey, Signature, "1588788368", body), Is.False);
            Assert.That(SendGridEvents.IsPublicKey(PublicKey), Is.True);
            Assert.That(SendGridEvents.IsPublicKey("not a key"), Is.False);
        });
    }

    [Test]
    public void Timestamps_older_than_five_minutes_are_replays()
    {
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(1588788367);
        Assert.Multiple(() =>
        {
            Assert.That(SendGridEvents.IsFresh(Timestamp, signedAt.AddMinutes(4)), Is.True);
            Assert.That(SendGridEvents.IsFresh(Timestamp, signedAt.AddMinutes(6)), Is.False);
            Assert.That(SendGridEvents.IsFresh(Timestamp, signedAt.AddMinutes(-6)), Is.False);
            Assert.That(SendGridEvents.IsFresh("soon", signedAt), Is.False);
        });
    }

    [Test]
    public void Events_map_to_statuses_and_suppressions()
    {
        var body = Encoding.UTF8.GetBytes("""
            [
              {"email":"a@example.org","timestamp":1700000000,"smtp-id":"<m1@turumba.test>","event":"delivered","sg_event_id":"e1"},
              {"email":"b@example.org","timestamp":1700000001,"smtp-id":"<m2@turumba.test>","event":"bounce","type":"bounce","status":"5.1.1","reason":"550 5.1.1 unknown","sg_event_id":"e2"},
              {"email":"c@example.org","timestamp":1700000002,"smtp-id":"<m3@turumba.test>","event":"bounce","type":"blocked","status":"5.7.1","reason":"blocked","sg_event_id":"e3"},
              {"email":"d@example.org","timestamp":1700000003,"smtp-id":"<m4@turumba.test>","event":"spamreport","sg_event_id":"e4"},
              {"email":"e@example.org","timestamp":1700000004,"smtp-id":"<m5@turumba.test>","event":"deferred","sg_event_id":"e5"},
              {"email":"f@example.org","timestamp":1700000005,"smtp-id":"<m6@turumba.test>","event":"dropped","reason":"Bounced Address","sg_event_id":"e6"}
            ]
            """);

        var updates = SendGridEvents.Parse(body, null, false);

        Assert.That(updates.Select(u => (u.EventId, u.ProviderMessageId, u.Status, u.SuppressRecipient)), Is.EqualTo(new (string, string, string, string?)[]
        {
            ("e1", "m1@turumba.test", "delivered", null),
            ("e2", "m2@turumba.test", "failed", "bounce"),
            ("e3", "m3@turumba.test", "failed", null),
            ("e4", "m4@turumba.test", "delivered", "complaint"),
            ("e6", "m6@turumba.test", "failed", null),
        }));
        Assert.That(() => SendGridEvents.Parse(Encoding.UTF8.GetBytes("{}"), null, false), Throws.TypeOf<FormatException>());
    }
}
