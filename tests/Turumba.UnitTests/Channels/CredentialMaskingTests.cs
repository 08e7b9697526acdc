using Turumba.Channels.Credentials;

namespace Turumba.UnitTests.Channels;

[TestFixture]
public sealed class CredentialMaskingTests
{
    [Test]
    public void Secrets_are_masked_others_shown_and_generated_secrets_hidden()
    {
        var masked = CredentialProtector.Mask(new Dictionary<string, string>
        {
            ["bot_token"] = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
            ["api_secret"] = "short",
            ["phone_number_id"] = "1055",
            ["webhook_secret"] = "never-show-this",
        });

        Assert.That(masked, Is.EqualTo(new Dictionary<string, string>
        {
            ["bot_token"] = "123****Dsaw",
            ["api_secret"] = "****",
            ["phone_number_id"] = "1055",
        }));
    }
}
