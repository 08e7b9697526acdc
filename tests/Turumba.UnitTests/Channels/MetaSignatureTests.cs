using System.Text;
using Turumba.Adapters.Meta;
using Turumba.Channels;

namespace Turumba.UnitTests.Channels;

/// <summary><c>X-Hub-Signature-256</c>: hex HMAC-SHA256 of the raw body with the app secret, and the GET handshake.</summary>
[TestFixture]
public sealed class MetaSignatureTests
{
    // The vector of Meta's SDK tests: body "test", app secret "TEST_APP_SECRET".
    private const string SdkVector = "sha256=0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888221";

    [Test]
    public void The_sdk_vector_is_valid() =>
        Assert.That(MetaSignature.IsValid("TEST_APP_SECRET", Encoding.ASCII.GetBytes("test"), SdkVector), Is.True);

    [Test]
    public void Compute_gives_the_sdk_vector() =>
        Assert.That(MetaSignature.Compute("TEST_APP_SECRET", Encoding.ASCII.GetBytes("test")), Is.EqualTo(SdkVector));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888221")]
    [TestCase("sha256=zz")]
    [TestCase("sha1=0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888221")]
    [TestCase("sha256=0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888222")]
    public void Anything_else_is_refused(string? header) =>
        Assert.That(MetaSignature.IsValid("TEST_APP_SECRET", Encoding.ASCII.GetBytes("test"), header), Is.False);

    [Test]
    public void The_signature_covers_the_bytes_as_sent_not_a_reserialisation()
    {
        // Meta escapes non-ASCII as \uXXXX; the same JSON with the character itself is other bytes.
        var escaped = Encoding.ASCII.GetBytes("{\"text\":\"\\u00e4\"}");
        var literal = Encoding.UTF8.GetBytes("{\"text\":\"ä\"}");
        var signature = MetaSignature.Compute("secret", escaped);

        Assert.That(MetaSignature.IsValid("secret", escaped, signature), Is.True);
        Assert.That(MetaSignature.IsValid("secret", literal, signature), Is.False);
    }

    [Test]
    public void Handshake_echoes_the_challenge_for_the_channels_verify_token()
    {
        var credentials = new ChannelCredentials(new Dictionary<string, string> { ["verify_token"] = "tok" });
        var reply = MetaHandshake.Answer(Query("subscribe", "tok", "1158201444"), credentials);

        Assert.That(reply, Is.Not.Null);
        Assert.That(reply!.Body, Is.EqualTo("1158201444"));
        Assert.That(reply.ContentType, Is.EqualTo("text/plain"));
    }

    [TestCase("subscribe", "wrong")]
    [TestCase("unsubscribe", "tok")]
    [TestCase(null, "tok")]
    public void Handshake_with_another_token_or_mode_is_refused(string? mode, string token) =>
        Assert.That(MetaHandshake.Answer(Query(mode, token, "42"), new ChannelCredentials(new Dictionary<string, string> { ["verify_token"] = "tok" })), Is.Null);

    [Test]
    public void Without_a_verify_token_the_generated_webhook_secret_is_the_token()
    {
        var credentials = new ChannelCredentials(new Dictionary<string, string> { [ChannelCredentials.WebhookSecret] = "generated" });

        Assert.That(MetaHandshake.Answer(Query("subscribe", "generated", "7"), credentials)?.Body, Is.EqualTo("7"));
    }

    private static Dictionary<string, string> Query(string? mode, string token, string challenge)
    {
        var query = new Dictionary<string, string> { ["hub.verify_token"] = token, ["hub.challenge"] = challenge };
        if (mode is not null)
        {
            query["hub.mode"] = mode;
        }

        return query;
    }
}
