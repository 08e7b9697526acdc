using Turumba.Adapters.Meta;
using Turumba.Channels;

namespace Turumba.UnitTests.Channels;

/// <summary>WhatsApp failures by Meta's <c>error.code</c>, whatever the HTTP status (Meta answers most with 400).</summary>
[TestFixture]
public sealed class WhatsAppErrorsTests
{
    private static MetaGraphError Error(int code, int status = 400, string details = "details of the error") => MetaGraphError.Read(status,
        """{"error":{"message":"(#CODE) Something","type":"OAuthException","code":CODE,"error_data":{"messaging_product":"whatsapp","details":"DETAILS"},"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}"""
            .Replace("CODE", code.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("DETAILS", details, StringComparison.Ordinal));

    [Test]
    public void Expired_token_is_auth() => Assert.That(WhatsAppErrors.Map(Error(190, 401)), Is.InstanceOf<ProviderAuthException>());

    [TestCase(4)]
    [TestCase(80007)]
    [TestCase(130429)]
    [TestCase(131056)]
    public void Throughput_codes_are_rate_limits(int code) =>
        Assert.That(WhatsAppErrors.Map(Error(code)), Is.InstanceOf<ProviderRateLimitException>());

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(131000)]
    [TestCase(131016)]
    public void Transient_codes_are_retried(int code) =>
        Assert.That(WhatsAppErrors.Map(Error(code)), Is.InstanceOf<ProviderConnectionException>());

    [Test]
    public void A_500_without_a_graph_error_is_retried() =>
        Assert.That(WhatsAppErrors.Map(MetaGraphError.Read(502, "<html>Bad gateway</html>")), Is.InstanceOf<ProviderConnectionException>());

    [TestCase(100)]
    [TestCase(131008)]
    [TestCase(131009)]
    [TestCase(131021)]
    [TestCase(131026)]
    [TestCase(132000)]
    [TestCase(132001)]
    [TestCase(132015)]
    [TestCase(999999)]
    public void Bad_parameters_and_template_problems_are_permanent_with_the_details(int code)
    {
        var error = WhatsAppErrors.Map(Error(code, details: "Parameter 'to' is not a valid phone number"));

        Assert.That(error, Is.InstanceOf<InvalidPayloadException>());
        Assert.That(error.ProviderCode, Is.EqualTo(code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(error.Message, Does.Contain("Parameter 'to' is not a valid phone number"));
    }

    [Test]
    public void Re_engagement_is_outside_the_customer_service_window()
    {
        var error = WhatsAppErrors.Map(Error(131047));

        Assert.That(error, Is.InstanceOf<InvalidPayloadException>());
        Assert.That(error.ProviderCode, Is.EqualTo("outside_customer_service_window"));
    }
}
