using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Turumba.Adapters.Smtp;

namespace Turumba.UnitTests.Channels;

/// <summary>
/// SNS deliveries: parsing, the string to sign (field order as in the SNS developer guide's
/// "Verifying the signatures of Amazon SNS messages"), signature versions 1 and 2, the region of a topic.
/// </summary>
[TestFixture]
public sealed class SnsMessageTests
{
    private RSA _key = null!;
    private X509Certificate2 _certificate = null!;

    [OneTimeSetUp]
    public void CreateSigningCertificate()
    {
        _key = RSA.Create(2048);
        _certificate = new CertificateRequest("CN=sns.eu-west-1.amazonaws.com", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [OneTimeTearDown]
    public void DisposeSigningCertificate()
    {
        _certificate.Dispose();
        _key.Dispose();
    }

    [Test]
    public void Notification_string_to_sign_lists_its_fields_in_byte_order_and_omits_a_missing_subject()
    {
        var withSubject = Parse(Notification("2", subject: "Bounce"));
        var without = Parse(Notification("2", subject: null));
        Assert.Multiple(() =>
        {
            Assert.That(withSubject.StringToSign(), Is.EqualTo(
                "Message\n{\"notificationType\":\"Delivery\"}\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nBounce\n"
                + "Timestamp\n2026-12-01T12:00:00.000Z\nTopicArn\narn:aws:sns:eu-west-1:123456789012:ses-events\nType\nNotification\n"));
            Assert.That(without.StringToSign(), Does.Not.Contain("Subject"));
        });
    }

    [Test]
    public void Confirmation_signs_its_subscribe_url_and_token()
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["Type"] = "SubscriptionConfirmation",
            ["MessageId"] = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
            ["Token"] = "2336412f37",
            ["TopicArn"] = "arn:aws:sns:eu-west-1:123456789012:ses-events",
            ["Message"] = "You have chosen to subscribe",
            ["SubscribeURL"] = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37",
            ["Timestamp"] = "2026-12-01T12:00:00.000Z",
            ["SignatureVersion"] = "1",
            ["Signature"] = "c2ln",
            ["SigningCertURL"] = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService.pem",
        });
        var message = Parse(body);
        Assert.That(message.StringToSign(), Is.EqualTo(
            "Message\nYou have chosen to subscribe\nMessageId\n165545c9-2a5c-472c-8df2-7ff2be2b3b1b\n"
            + "SubscribeURL\nhttps://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37\n"
            + "Timestamp\n2026-12-01T12:00:00.000Z\nToken\n2336412f37\nTopicArn\narn:aws:sns:eu-west-1:123456789012:ses-events\n"
            + "Type\nSubscriptionConfirmation\n"));
    }

    [TestCase("1")]
    [TestCase("2")]
    public void A_signature_holds_for_its_version_and_fails_when_anything_changes(string version)
    {
        var signed = Sign(Parse(Notification(version, subject: null)));
        using var otherKey = RSA.Create(2048);
        using var other = new CertificateRequest("CN=other", otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Assert.Multiple(() =>
        {
            Assert.That(signed.IsSignedBy(_certificate), Is.True);
            Assert.That(signed.IsSignedBy(other), Is.False);
            Assert.That((signed with { Message = "{\"notificationType\":\"Bounce\"}" }).IsSignedBy(_certificate), Is.False);
            Assert.That((signed with { SignatureVersion = version == "1" ? "2" : "1" }).IsSignedBy(_certificate), Is.False);
            Assert.That((signed with { SignatureVersion = "3" }).IsSignedBy(_certificate), Is.False);
            Assert.That((signed with { Signature = "not base64!" }).IsSignedBy(_certificate), Is.False);
        });
    }

    [Test]
    public void Bodies_that_are_not_complete_sns_messages_are_refused()
    {
        var noSignature = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["Type"] = "Notification", ["MessageId"] = "m", ["TopicArn"] = "arn:aws:sns:eu-west-1:1:t", ["Message"] = "{}", ["Timestamp"] = "2026-12-01T12:00:00Z",
        });
        var confirmationWithoutUrl = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["Type"] = "SubscriptionConfirmation", ["MessageId"] = "m", ["TopicArn"] = "arn:aws:sns:eu-west-1:1:t", ["Message"] = "x",
            ["Timestamp"] = "2026-12-01T12:00:00Z", ["Token"] = "t", ["SignatureVersion"] = "1", ["Signature"] = "c2ln", ["SigningCertURL"] = "https://sns.eu-west-1.amazonaws.com/c.pem",
        });
        Assert.Multiple(() =>
        {
            Assert.That(SnsMessage.TryParse(Encoding.UTF8.GetBytes("{\"Type\":")), Is.Null);
            Assert.That(SnsMessage.TryParse(Encoding.UTF8.GetBytes("[]")), Is.Null);
            Assert.That(SnsMessage.TryParse(Encoding.UTF8.GetBytes("{\"Type\":\"Other\"}")), Is.Null);
            Assert.That(SnsMessage.TryParse(noSignature), Is.Null);
            Assert.That(SnsMessage.TryParse(confirmationWithoutUrl), Is.Null);
        });
    }

    [TestCase("arn:aws:sns:eu-west-1:123456789012:ses-events", "eu-west-1")]
    [TestCase("arn:aws-cn:sns:cn-north-1:123456789012:t", "cn-north-1")]
    [TestCase("arn:aws:sqs:eu-west-1:123456789012:q", null)]
    [TestCase("arn:aws:sns::123456789012:t", null)]
    [TestCase("not an arn", null)]
    public void Region_comes_from_an_sns_topic_arn(string arn, string? region) =>
        Assert.That(SnsMessage.RegionOf(arn), Is.EqualTo(region));

    internal static byte[] Notification(string version, string? subject, string message = "{\"notificationType\":\"Delivery\"}")
    {
        var fields = new Dictionary<string, string>
        {
            ["Type"] = "Notification",
            ["MessageId"] = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
            ["TopicArn"] = "arn:aws:sns:eu-west-1:123456789012:ses-events",
            ["Message"] = message,
            ["Timestamp"] = "2026-12-01T12:00:00.000Z",
            ["SignatureVersion"] = version,
            ["Signature"] = "c2ln",
            ["SigningCertURL"] = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService.pem",
        };
        if (subject is not null)
        {
            fields["Subject"] = subject;
        }

        return JsonSerializer.SerializeToUtf8Bytes(fields);
    }

    private static SnsMessage Parse(byte[] body) => SnsMessage.TryParse(body) ?? throw new AssertionException("not parsed");

    private SnsMessage Sign(SnsMessage message)
    {
        var hash = message.SignatureVersion == "1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var signature = _key.SignData(Encoding.UTF8.GetBytes(message.StringToSign()), hash, RSASignaturePadding.Pkcs1);
        return message with { Signature = Convert.ToBase64String(signature) };
    }
}
