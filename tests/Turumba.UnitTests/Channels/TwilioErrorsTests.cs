using System.Net;
using Turumba.Adapters.Twilio;
using Turumba.Channels;

namespace Turumba.UnitTests.Channels;

/// <summary>Twilio failures are classified by Twilio's error code first (https://www.twilio.com/docs/api/errors), the HTTP status second.</summary>
[TestFixture]
public sealed class TwilioErrorsTests
{
    private static string Body(int code, string message, int status) =>
        $$"""{"code": {{code}}, "message": "{{message}}", "more_info": "https://www.twilio.com/docs/errors/{{code}}", "status": {{status}}}""";

    [Test]
    public void Authentication_error_is_an_auth_failure()
    {
        var error = TwilioErrors.Map(HttpStatusCode.Unauthorized, Body(20003, "Authenticate", 401), null);

        Assert.That(error, Is.InstanceOf<ProviderAuthException>());
        Assert.That(error.Message, Does.Contain("Authenticate"));
        Assert.That(error.ProviderCode, Is.EqualTo("20003"));
    }

    [TestCase(21211)]
    [TestCase(21614)]
    [TestCase(21612)]
    [TestCase(21408)]
    public void Invalid_recipient_is_permanent_and_names_the_code(int code)
    {
        var error = TwilioErrors.Map(HttpStatusCode.BadRequest, Body(code, "The 'To' number is not a valid phone number.", 400), null);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf<InvalidPayloadException>());
            Assert.That(error.ProviderCode, Is.EqualTo(code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(error.Message, Does.Contain(code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(error.SuppressRecipient, Is.Null);
        });
    }

    [Test]
    public void Unsubscribed_recipient_is_permanent_and_suppresses_it()
    {
        var error = TwilioErrors.Map(HttpStatusCode.BadRequest, Body(21610, "Attempt to send to unsubscribed recipient", 400), null);

        Assert.That(error, Is.InstanceOf<InvalidPayloadException>());
        Assert.That(error.SuppressRecipient, Is.EqualTo("opt_out"));
    }

    [Test]
    public void Too_many_requests_is_a_rate_limit_honouring_retry_after()
    {
        var limited = TwilioErrors.Map(HttpStatusCode.TooManyRequests, Body(20429, "Too Many Requests", 429), TimeSpan.FromSeconds(7));
        var withoutHeader = TwilioErrors.Map(HttpStatusCode.TooManyRequests, null, null);

        Assert.Multiple(() =>
        {
            Assert.That(((ProviderRateLimitException)limited).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(((ProviderRateLimitException)withoutHeader).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public void Server_errors_are_retryable()
    {
        Assert.That(TwilioErrors.Map(HttpStatusCode.InternalServerError, Body(20500, "An internal server error has occurred", 500), null), Is.InstanceOf<ProviderConnectionException>());
        Assert.That(TwilioErrors.Map(HttpStatusCode.BadGateway, "<html>bad gateway</html>", null), Is.InstanceOf<ProviderConnectionException>());
    }

    [Test]
    public void Unknown_client_error_is_permanent_with_twilios_message()
    {
        var error = TwilioErrors.Map(HttpStatusCode.BadRequest, Body(21617, "The concatenated message body exceeds the 1600 character limit.", 400), null);

        Assert.That(error, Is.InstanceOf<InvalidPayloadException>());
        Assert.That(error.Message, Does.Contain("exceeds the 1600 character limit"));
    }
}
