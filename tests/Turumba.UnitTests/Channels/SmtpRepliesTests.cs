using MailKit.Net.Smtp;
using MimeKit;
using Turumba.Adapters.Smtp;
using Turumba.Channels;
using Turumba.Platform.Addresses;

namespace Turumba.UnitTests.Channels;

[TestFixture]
public sealed class SmtpRepliesTests
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(7);

    [TestCase(SmtpErrorCode.UnexpectedStatusCode, 535, "5.7.8 Authentication credentials invalid", typeof(ProviderAuthException), null)]
    [TestCase(SmtpErrorCode.SenderNotAccepted, 530, "5.7.0 Authentication required", typeof(ProviderAuthException), null)]
    [TestCase(SmtpErrorCode.UnexpectedStatusCode, 534, "5.7.9 Please log in with your web browser", typeof(ProviderAuthException), null)]
    [TestCase(SmtpErrorCode.RecipientNotAccepted, 550, "5.1.1 The email account that you tried to reach does not exist", typeof(InvalidPayloadException), "bounce")]
    [TestCase(SmtpErrorCode.RecipientNotAccepted, 550, "Requested action not taken: mailbox unavailable", typeof(InvalidPayloadException), "bounce")]
    [TestCase(SmtpErrorCode.RecipientNotAccepted, 550, "5.7.1 Relaying denied", typeof(InvalidPayloadException), null)]
    [TestCase(SmtpErrorCode.RecipientNotAccepted, 551, "User not local; please try <forward@example.org>", typeof(InvalidPayloadException), null)]
    [TestCase(SmtpErrorCode.RecipientNotAccepted, 553, "5.1.3 Bad recipient address syntax", typeof(InvalidPayloadException), "bounce")]
    [TestCase(SmtpErrorCode.RecipientNotAccepted, 552, "5.2.2 Mailbox full", typeof(InvalidPayloadException), null)]
    [TestCase(SmtpErrorCode.MessageNotAccepted, 554, "5.7.1 Message rejected as spam", typeof(InvalidPayloadException), null)]
    [TestCase(SmtpErrorCode.RecipientNotAccepted, 450, "4.2.1 Mailbox busy, try again", typeof(ProviderConnectionException), null)]
    [TestCase(SmtpErrorCode.RecipientNotAccepted, 451, "4.3.0 Local error in processing", typeof(ProviderConnectionException), null)]
    [TestCase(SmtpErrorCode.RecipientNotAccepted, 452, "4.5.3 Too many recipients", typeof(ProviderConnectionException), null)]
    [TestCase(SmtpErrorCode.SenderNotAccepted, 421, "4.3.2 Service shutting down", typeof(ProviderConnectionException), null)]
    [TestCase(SmtpErrorCode.SenderNotAccepted, 421, "4.7.0 Too many connections, slow down", typeof(ProviderRateLimitException), null)]
    [TestCase(SmtpErrorCode.RecipientNotAccepted, 421, "4.7.28 Our system has detected an unusual rate of mail", typeof(ProviderRateLimitException), null)]
    public void Replies_are_classified_as_the_issue_lists(SmtpErrorCode stage, int code, string text, Type expected, string? suppress)
    {
        var error = SmtpReplies.Map(new SmtpCommandException(stage, (SmtpStatusCode)code, new MailboxAddress("", "to@example.org"), text), "to@example.org", Pause);
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.TypeOf(expected));
            Assert.That(error.SuppressRecipient, Is.EqualTo(suppress));
            Assert.That(error.Message, Does.Contain(text));
            Assert.That(error.ProviderCode, Does.StartWith(code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
        if (error is ProviderRateLimitException limited)
        {
            Assert.That(limited.RetryAfter, Is.EqualTo(Pause));
        }
    }

    [Test]
    public void Html_only_bodies_get_a_readable_text_part()
    {
        var text = HtmlText.Convert("<html><head><title>x</title><style>p{color:red}</style></head><body><h1>Hello&nbsp;Abebe</h1>"
            + "<p>Your  order\n is <b>ready</b>.<br>Pick it up &amp; enjoy.</p><ul><li>One</li><li>Two</li></ul>"
            + "<p><a href=\"https://example.org/o/1\">Track it</a></p><script>alert(1)</script></body></html>");
        Assert.That(text, Is.EqualTo("Hello Abebe\n\nYour order is ready.\nPick it up & enjoy.\n\n- One\n- Two\n\nTrack it (https://example.org/o/1)"));
    }

    [TestCase("X-Campaign", true)]
    [TestCase("x-tracking-id", true)]
    [TestCase("Precedence", true)]
    [TestCase("X-Turumba-Message-Id", false)]
    [TestCase("Bcc", false)]
    [TestCase("From", false)]
    [TestCase("X-Bad Name", false)]
    [TestCase("X-Colon:", false)]
    public void Only_allow_listed_headers_may_be_set(string name, bool allowed) =>
        Assert.That(EmailHeaders.IsAllowed(name), Is.EqualTo(allowed));

    [Test]
    public void Line_breaks_in_a_header_or_subject_are_problems()
    {
        var problems = EmailHeaders.Problems("Hi\r\nBcc: victim@example.org", """{"X-Ok":"fine","X-Evil":"a\nBcc: x@example.org","X-Num":3}""").ToList();
        Assert.That(problems.Select(p => p.Field), Is.EquivalentTo(new[] { "metadata.subject", "metadata.headers.X-Evil", "metadata.headers.X-Num" }));
    }
}
