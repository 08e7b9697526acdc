using System.Net;
using Turumba.Adapters.Jasmin;
using Turumba.Channels;

namespace Turumba.UnitTests.Channels;

[TestFixture]
public sealed class JasminAnswersTests
{
    [Test]
    public void Success_answer_carries_the_message_id()
    {
        Assert.Multiple(() =>
        {
            Assert.That(JasminAnswers.MessageId("Success \"07033084-5cfd-4812-90a4-e4d24ffb6e3d\""), Is.EqualTo("07033084-5cfd-4812-90a4-e4d24ffb6e3d"));
            Assert.That(JasminAnswers.MessageId("Error \"No route found\""), Is.Null);
        });
    }

    [TestCase(HttpStatusCode.Forbidden, "Authentication failure for username:foo", typeof(ProviderAuthException))]
    [TestCase(HttpStatusCode.Forbidden, "User throughput exceeded", typeof(ProviderRateLimitException))]
    [TestCase(HttpStatusCode.Forbidden, "Cannot charge submit_sm, check RouterPB log file for details", typeof(InvalidPayloadException))]
    [TestCase(HttpStatusCode.BadRequest, "Argument [foo] is unknown.", typeof(InvalidPayloadException))]
    [TestCase(HttpStatusCode.PreconditionFailed, "No route found", typeof(InvalidPayloadException))]
    [TestCase(HttpStatusCode.PreconditionFailed, "Failover route has no bound connectors", typeof(ProviderConnectionException))]
    [TestCase(HttpStatusCode.InternalServerError, "Cannot send submit_sm, check SMPPClientManagerPB log file for details", typeof(ProviderConnectionException))]
    [TestCase(HttpStatusCode.ServiceUnavailable, "InterceptorPB not connected !", typeof(ProviderConnectionException))]
    public void Error_answer_is_classified_by_status_and_reason(HttpStatusCode status, string reason, Type expected)
    {
        var error = JasminAnswers.Map(status, $"Error \"{reason}\"");

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf(expected));
            Assert.That(error.Message, Does.Contain(reason));
        });
    }
}
