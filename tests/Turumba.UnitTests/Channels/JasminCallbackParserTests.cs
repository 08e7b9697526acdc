using System.Text;
using Turumba.Adapters.Jasmin;

namespace Turumba.UnitTests.Channels;

[TestFixture]
public sealed class JasminCallbackParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public void Level_1_acceptance_changes_nothing()
    {
        var body = Form("id=a1b2&message_status=ESME_ROK&level=1&connector=smppc01");

        Assert.That(JasminCallbackParser.ParseStatus(body, Now), Is.Empty);
    }

    [Test]
    public void Level_1_smsc_error_fails_the_message_with_the_error_as_code()
    {
        var update = JasminCallbackParser.ParseStatus(Form("id=a1b2&message_status=ESME_RSUBMITFAIL&level=1"), Now).Single();

        Assert.Multiple(() =>
        {
            Assert.That(update.Status, Is.EqualTo("failed"));
            Assert.That(update.ErrorCode, Is.EqualTo("ESME_RSUBMITFAIL"));
        });
    }

    [TestCase("DELIVRD", "delivered", null)]
    [TestCase("UNDELIV", "failed", "UNDELIV")]
    [TestCase("REJECTD", "failed", "REJECTD")]
    [TestCase("EXPIRED", "failed", "EXPIRED")]
    [TestCase("DELETED", "failed", "DELETED")]
    [TestCase("UNKNOWN", "failed", "UNKNOWN")]
    public void Handset_receipt_maps_to_our_status(string jasmin, string ours, string? code)
    {
        var body = Form($"id=a1b2&message_status={jasmin}&level=2&id_smsc=871&sub=001&dlvrd=001&subdate=2612030800&donedate=2612030801&err=000&text=hello");

        var update = JasminCallbackParser.ParseStatus(body, Now).Single();

        Assert.Multiple(() =>
        {
            Assert.That(update.ProviderMessageId, Is.EqualTo("a1b2"));
            Assert.That(update.Status, Is.EqualTo(ours));
            Assert.That(update.ErrorCode, Is.EqualTo(code));
            Assert.That(update.EventId, Is.EqualTo($"a1b2:2:{jasmin}"));
        });
    }

    [Test]
    public void A_status_jasmin_never_sends_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => JasminCallbackParser.ParseStatus(Form("id=a1b2&message_status=BOGUS&level=2"), Now));
    }

    [Test]
    public void Incoming_ucs2_message_is_decoded_from_its_bytes()
    {
        var hex = Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes("ሰላም"));
        var body = Form($"id=m1&from=%2B251911000111&to=8000&origin-connector=smppc01&coding=8&binary={hex}&content=x");

        var inbound = JasminCallbackParser.ParseInbound(body, Now).Single();

        Assert.Multiple(() =>
        {
            Assert.That(inbound.Body, Is.EqualTo("ሰላም"));
            Assert.That(inbound.SenderAddress, Is.EqualTo("+251911000111"));
            Assert.That(JasminCallbackParser.ParseStatus(body, Now), Is.Empty);
        });
    }

    [Test]
    public void Incoming_text_without_binary_is_read_from_content()
    {
        var inbound = JasminCallbackParser.ParseInbound(Form("id=m2&from=251911&to=8000&coding=0&content=Hello+world%21"), Now).Single();

        Assert.That(inbound.Body, Is.EqualTo("Hello world!"));
    }

    private static byte[] Form(string form) => Encoding.ASCII.GetBytes(form);
}
