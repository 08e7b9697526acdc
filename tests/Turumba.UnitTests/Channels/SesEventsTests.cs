using Turumba.Adapters.Smtp;
using Turumba.Channels;
using Turumba.Platform.Addresses;

namespace Turumba.UnitTests.Channels;

/// <summary>SES events inside SNS notifications (shapes from the SES developer guide's notification contents) → status updates.</summary>
[TestFixture]
public sealed class SesEventsTests
{
    private const string From = "news@turumba.test";
    private static readonly Guid Ours = Guid.Parse("0b6f4f0e-58d5-4d1f-9a55-3f1f2f6b7c10");

    [Test]
    public void Permanent_bounce_fails_and_suppresses_each_recipient()
    {
        var updates = Parse("""
            {"notificationType":"Bounce",
             "bounce":{"bounceType":"Permanent","bounceSubType":"General","timestamp":"2026-12-01T12:00:05.000Z",
               "bouncedRecipients":[
                 {"emailAddress":"gone@example.org","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"},
                 {"emailAddress":"left@example.org","status":"5.1.1"}]},
             "mail":MAIL}
            """);
        Assert.Multiple(() =>
        {
            Assert.That(updates, Has.Count.EqualTo(2));
            Assert.That(updates[0].ProviderMessageId, Is.EqualTo(EmailMime.MessageIdFor(Ours, From)));
            Assert.That(updates[0].Status, Is.EqualTo("failed"));
            Assert.That(updates[0].ErrorCode, Is.EqualTo("5.1.1"));
            Assert.That(updates[0].ErrorMessage, Does.Contain("Permanent").And.Contain("user unknown"));
            Assert.That(updates[0].SuppressRecipient, Is.EqualTo(SmtpReplies.BounceReason));
            Assert.That(updates[0].OccurredAt, Is.EqualTo(DateTimeOffset.Parse("2026-12-01T12:00:05Z")));
            Assert.That(updates.Select(u => u.RecipientAddress), Is.EqualTo(new[] { "gone@example.org", "left@example.org" }));
            Assert.That(updates.Select(u => u.EventId).Distinct().Count(), Is.EqualTo(2), "each recipient is applied once, by its own event id");
        });
    }

    [Test]
    public void Transient_bounce_fails_without_suppressing()
    {
        var update = Parse("""
            {"notificationType":"Bounce","bounce":{"bounceType":"Transient","bounceSubType":"MailboxFull",
              "bouncedRecipients":[{"emailAddress":"full@example.org","status":"4.2.2"}]},"mail":MAIL}
            """).Single();
        Assert.Multiple(() =>
        {
            Assert.That(update.Status, Is.EqualTo("failed"));
            Assert.That(update.SuppressRecipient, Is.Null);
            Assert.That(update.OccurredAt, Is.EqualTo(DateTimeOffset.Parse("2026-12-01T12:00:00Z")), "no bounce timestamp: the SNS timestamp");
        });
    }

    [Test]
    public void Complaint_suppresses_and_delivery_delivers()
    {
        var complaint = Parse("""
            {"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"angry@example.org"}],"timestamp":"2026-12-01T13:00:00Z"},"mail":MAIL}
            """).Single();
        var delivery = Parse("""
            {"eventType":"Delivery","delivery":{"timestamp":"2026-12-01T12:00:02Z","recipients":["contact@example.org"],"smtpResponse":"250 ok"},"mail":MAIL}
            """).Single();
        Assert.Multiple(() =>
        {
            Assert.That(complaint.SuppressRecipient, Is.EqualTo("complaint"));
            Assert.That(complaint.RecipientAddress, Is.EqualTo("angry@example.org"));
            Assert.That(delivery.Status, Is.EqualTo("delivered"));
            Assert.That(delivery.RecipientAddress, Is.EqualTo("contact@example.org"));
        });
    }

    [Test]
    public void Opens_are_reads_only_when_the_channel_opts_in_and_other_events_change_nothing()
    {
        const string open = """{"eventType":"Open","open":{"timestamp":"2026-12-01T14:00:00Z"},"mail":MAIL}""";
        Assert.Multiple(() =>
        {
            Assert.That(Parse(open, opensAsRead: true).Single().Status, Is.EqualTo("read"));
            Assert.That(Parse(open, opensAsRead: false), Is.Empty);
            Assert.That(Parse("""{"eventType":"Send","send":{},"mail":MAIL}"""), Is.Empty);
            Assert.That(Parse("""{"eventType":"Click","click":{},"mail":MAIL}"""), Is.Empty);
        });
    }

    [Test]
    public void Without_our_header_the_original_message_id_is_used_and_without_either_the_event_is_not_ours()
    {
        const string mailWithOriginalId = """{"messageId":"ses-1","destination":["a@example.org"],"commonHeaders":{"messageId":"<abc@turumba.test>"}}""";
        const string mailOfSomeoneElse = """{"messageId":"ses-2","destination":["a@example.org"]}""";
        Assert.Multiple(() =>
        {
            Assert.That(Parse("""{"notificationType":"Delivery","delivery":{},"mail":M}""".Replace("M", mailWithOriginalId, StringComparison.Ordinal)).Single().ProviderMessageId,
                Is.EqualTo("abc@turumba.test"));
            Assert.That(Parse("""{"notificationType":"Delivery","delivery":{},"mail":M}""".Replace("M", mailOfSomeoneElse, StringComparison.Ordinal)), Is.Empty);
        });
    }

    private static IReadOnlyList<StatusUpdate> Parse(string sesMessage, bool opensAsRead = false)
    {
        var mail = $$$"""
            {"timestamp":"2026-12-01T11:59:59Z","messageId":"0100018c-ses","source":"{{{From}}}","destination":["contact@example.org"],
             "headers":[{"name":"Message-ID","value":"<0100018c-ses@email.amazonses.com>"},{"name":"{{{EmailHeaders.MessageIdHeader}}}","value":"{{{Ours}}}"}],
             "commonHeaders":{"messageId":"<{{{EmailMime.MessageIdFor(Ours, From)}}}>"}}
            """;
        var body = SnsMessageTests.Notification("2", subject: null, sesMessage.Replace("MAIL", mail, StringComparison.Ordinal));
        var notification = SnsMessage.TryParse(body) ?? throw new AssertionException("not parsed");
        return SesEvents.Parse(notification, From, opensAsRead);
    }
}
