using System.Text;
using Turumba.Adapters.Twilio;

namespace Turumba.UnitTests.Channels;

/// <summary>
/// <c>X-Twilio-Signature</c> against Twilio's own published vectors: the request-validator tests of
/// the official C# SDK, twilio/twilio-csharp, test/Twilio.Test/Security/RequestValidatorTest.cs
/// (auth token "12345", the same five POST parameters, URLs with and without ports and query strings).
/// </summary>
[TestFixture]
public sealed class TwilioSignatureTests
{
    private const string Token = "12345";

    // Intentionally out of alphabetical order, as in the SDK's tests.
    private static readonly KeyValuePair<string, string>[] Parameters =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("From", "+14158675309"),
        new("Digits", "1234"),
        new("To", "+18005551212"),
        new("Caller", "+14158675309"),
    ];

    [TestCase("https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", TestName = "query string (TestValidateDictionary)")]
    [TestCase("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=", TestName = "custom port, https (TestValidateAddsCustomPortHttps)")]
    [TestCase("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", TestName = "custom port, http (TestValidateAddsCustomPortHttp)")]
    [TestCase("https://mycompany.com:443/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=", TestName = "default port written out, https")]
    [TestCase("http://mycompany.com:80/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=", TestName = "default port written out, http")]
    [TestCase("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU=", TestName = "host case kept (TestValidateDictionaryMixedCase)")]
    [TestCase("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4=", TestName = "host case and port kept (TestValidateDictionaryMixedCaseWithPort)")]
    [TestCase("http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM=", TestName = "credentials in the URL kept (TestValidateCredentialsArePreserved)")]
    public void Computes_the_published_signature(string url, string expected) =>
        Assert.That(TwilioSignature.Compute(Token, url, Parameters), Is.EqualTo(expected));

    [TestCase("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", TestName = "signed without the port, called with it (TestValidateRemovesPortHttps)")]
    [TestCase("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=", TestName = "signed with :443, called without (TestValidateAddsPortHttps)")]
    [TestCase("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=", TestName = "signed with :80, called without (TestValidateAddsPortHttp)")]
    [TestCase("http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis=", TestName = "mixed case, port added (TestValidateDictionaryMixedCaseAddsPortHttp)")]
    public void Accepts_the_port_variants_twilio_accepts(string url, string signature) =>
        Assert.That(TwilioSignature.IsValid(Token, url, Parameters, signature), Is.True);

    [TestCase("https://mycompany.com/myapp.php?foo=1&bar=2", "NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=", TestName = "wrong signature (TestValidateFailsWhenIncorrect)")]
    [TestCase("https://MyCompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", TestName = "case of the host matters")]
    [TestCase("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", TestName = "case of the host matters, with a port")]
    [TestCase("https://mycompany.com/myapp.php?foo=1&bar=3", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", TestName = "query string is signed")]
    [TestCase("https://mycompany.com/myapp.php?foo=1&bar=2", "", TestName = "missing signature")]
    public void Refuses_what_does_not_match(string url, string signature) =>
        Assert.That(TwilioSignature.IsValid(Token, url, Parameters, signature), Is.False);

    [Test]
    public void Every_parameter_is_signed()
    {
        var tampered = Parameters.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(TwilioSignature.IsValid(Token, "https://mycompany.com/myapp.php?foo=1&bar=2", tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), Is.False);
            Assert.That(TwilioSignature.IsValid("54321", "https://mycompany.com/myapp.php?foo=1&bar=2", Parameters, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), Is.False);
        });
    }

    [Test]
    public void Form_bodies_are_decoded_before_signing()
    {
        var body = Encoding.UTF8.GetBytes("To=%2B18005551212&Caller=%2B14158675309&CallSid=CA1234567890ABCDE&From=%2B14158675309&Digits=1234");

        Assert.That(TwilioSignature.IsValid(Token, "https://mycompany.com/myapp.php?foo=1&bar=2", TwilioCallbackParser.Parameters(body), "RSOYDt4T1cUTdK1PDd93/VVr8B8="), Is.True);
    }
}
