using System.Text;
using Turumba.Adapters.Twilio;

namespace Turumba.UnitTests.Channels;

[TestFixture]
public sealed class TwilioCallbackParserTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [TestCase("sent", "sent")]
    [TestCase("delivered", "delivered")]
    [TestCase("undelivered", "failed")]
    [TestCase("failed", "failed")]
    public void Status_callback_is_a_status_update(string twilio, string ours)
    {
        var body = Form($"MessageSid=SM1&MessageStatus={twilio}&To=%2B15005550006&AccountSid=AC1&ErrorCode=30003");

        var update = TwilioCallbackParser.ParseStatus(body, At).Single();

        Assert.Multiple(() =>
        {
            Assert.That(update.ProviderMessageId, Is.EqualTo("SM1"));
            Assert.That(update.Status, Is.EqualTo(ours));
            Assert.That(update.EventId, Is.EqualTo($"SM1:{twilio}"), "the same sid and status is one event");
            Assert.That(update.RecipientAddress, Is.EqualTo("+15005550006"));
            Assert.That(update.ErrorCode, Is.EqualTo("30003"));
            Assert.That(TwilioCallbackParser.ParseInbound(body, At), Is.Empty);
        });
    }

    [TestCase("queued")]
    [TestCase("accepted")]
    [TestCase("sending")]
    public void Steps_before_an_outcome_change_nothing(string status) =>
        Assert.That(TwilioCallbackParser.ParseStatus(Form($"MessageSid=SM1&MessageStatus={status}"), At), Is.Empty);

    [Test]
    public void Incoming_message_keeps_its_media()
    {
        var body = Form("MessageSid=SM9&SmsStatus=received&From=%2B251911234567&To=%2B15005550006&Body=Hello+there&NumMedia=2"
            + "&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm0&MediaContentType0=image%2Fjpeg&MediaUrl1=https%3A%2F%2Fapi.twilio.com%2Fm1");

        var inbound = TwilioCallbackParser.ParseInbound(body, At).Single();

        Assert.Multiple(() =>
        {
            Assert.That(inbound.SenderAddress, Is.EqualTo("+251911234567"));
            Assert.That(inbound.Body, Is.EqualTo("Hello there"));
            Assert.That(inbound.MediaFileIds, Is.EqualTo(new[] { "https://api.twilio.com/m0", "https://api.twilio.com/m1" }));
            Assert.That(inbound.ProviderMessageId, Is.EqualTo("SM9"));
            Assert.That(TwilioCallbackParser.ParseStatus(body, At), Is.Empty);
        });
    }

    [Test]
    public void A_form_without_a_message_sid_is_refused() =>
        Assert.Throws<FormatException>(() => TwilioCallbackParser.ParseStatus(Form("MessageStatus=sent"), At));

    [TestCase("undelivered")]
    [TestCase("failed")]
    public void Failure_with_21610_suppresses_the_recipient(string twilio)
    {
        var update = TwilioCallbackParser.ParseStatus(Form($"MessageSid=SM1&MessageStatus={twilio}&To=%2B15005550004&ErrorCode=21610"), At).Single();

        Assert.Multiple(() =>
        {
            Assert.That(update.SuppressRecipient, Is.EqualTo("opt_out"));
            Assert.That(update.RecipientAddress, Is.EqualTo("+15005550004"));
        });
    }

    [TestCase("undelivered", "30003")]
    [TestCase("delivered", "")]
    [TestCase("sent", "21610")]
    public void Other_reports_suppress_nobody(string twilio, string code) =>
        Assert.That(TwilioCallbackParser.ParseStatus(Form($"MessageSid=SM1&MessageStatus={twilio}&To=%2B15005550004&ErrorCode={code}"), At).Single().SuppressRecipient, Is.Null);

    private static byte[] Form(string form) => Encoding.UTF8.GetBytes(form);
}
