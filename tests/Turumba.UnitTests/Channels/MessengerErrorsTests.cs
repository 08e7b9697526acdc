using System.Text;
using Turumba.Adapters.Meta;
using Turumba.Channels;

namespace Turumba.UnitTests.Channels;

/// <summary>Messenger's Send API failures by Meta's <c>error.code</c>, and its webhooks' delivery and read watermarks.</summary>
[TestFixture]
public sealed class MessengerErrorsTests
{
    private static MetaGraphError Error(int code, int status = 400, int? subcode = null)
    {
        var sub = subcode is null ? string.Empty : ",\"error_subcode\":" + subcode.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return MetaGraphError.Read(status,
            "{\"error\":{\"message\":\"Something\",\"type\":\"OAuthException\",\"code\":" + code.ToString(System.Globalization.CultureInfo.InvariantCulture) + sub + ",\"fbtrace_id\":\"Az8or2yhqkZfEZ\"}}");
    }

    [Test]
    public void An_invalid_token_is_auth() => Assert.That(MessengerErrors.Map(Error(190, 401)), Is.InstanceOf<ProviderAuthException>());

    [Test]
    public void An_unavailable_person_is_permanent_and_suppressed()
    {
        var error = MessengerErrors.Map(Error(551, subcode: 1545041));

        Assert.That(error, Is.InstanceOf<InvalidPayloadException>());
        Assert.That(error.SuppressRecipient, Is.EqualTo("blocked"));
    }

    [TestCase(10, 2018278)]
    [TestCase(10, null)]
    [TestCase(100, 2018278)]
    public void Outside_the_window_is_its_own_permanent_code(int code, int? subcode)
    {
        var error = MessengerErrors.Map(Error(code, subcode: subcode));

        Assert.That(error, Is.InstanceOf<InvalidPayloadException>());
        Assert.That(error.ProviderCode, Is.EqualTo("outside_customer_service_window"));
    }

    [TestCase(4)]
    [TestCase(32)]
    [TestCase(613)]
    public void Rate_limit_codes_slow_down(int code) => Assert.That(MessengerErrors.Map(Error(code)), Is.InstanceOf<ProviderRateLimitException>());

    [TestCase(1, 400)]
    [TestCase(2, 400)]
    [TestCase(999, 503)]
    public void Transient_failures_are_retried(int code, int status) =>
        Assert.That(MessengerErrors.Map(Error(code, status)), Is.InstanceOf<ProviderConnectionException>());

    [Test]
    public void Other_codes_are_permanent() => Assert.That(MessengerErrors.Map(Error(100, subcode: 2018001)), Is.InstanceOf<InvalidPayloadException>());

    [Test]
    public void A_delivery_reports_each_mid_and_a_watermark_for_the_person()
    {
        var body = Encoding.UTF8.GetBytes("""
            {"object":"page","entry":[{"id":"PAGE","time":1458668856451,"messaging":[
              {"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"delivery":{"mids":["mid.1458668856218:ed81099e15d3f4f233"],"watermark":1458668856253}},
              {"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458668856463,"read":{"watermark":1458668856253}}]}]}
            """);

        var updates = MessengerWebhookParser.ParseStatuses(body);

        Assert.That(updates.Select(u => (u.ProviderMessageId, u.Status, u.Watermark?.ToUnixTimeMilliseconds())), Is.EqualTo(new (string, string, long?)[]
        {
            ("mid.1458668856218:ed81099e15d3f4f233", "delivered", null),
            ("", "delivered", 1458668856253),
            ("", "read", 1458668856253),
        }));
        Assert.That(updates.Select(u => u.RecipientAddress), Is.All.EqualTo("PSID"));
        Assert.That(updates.Select(u => u.EventId).Distinct().Count(), Is.EqualTo(3));
    }

    [Test]
    public void Echoes_are_not_inbound_messages()
    {
        var body = Encoding.UTF8.GetBytes("""
            {"object":"page","entry":[{"id":"PAGE","time":1458692752478,"messaging":[
              {"sender":{"id":"PAGE"},"recipient":{"id":"PSID"},"timestamp":1458692752478,"message":{"is_echo":true,"app_id":1517776481860111,"mid":"mid.echo","text":"ours"}},
              {"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"message":{"mid":"mid.1457764197618:41d102a3e1ae206a38","text":"hello, world!"}}]}]}
            """);

        var inbound = MessengerWebhookParser.ParseInbound(body);

        Assert.That(inbound.Select(m => (m.ProviderMessageId, m.SenderAddress, m.Body)), Is.EqualTo(new[] { ("mid.1457764197618:41d102a3e1ae206a38", "PSID", (string?)"hello, world!") }));
    }

    [Test]
    public void A_notification_that_is_not_a_pages_is_refused() =>
        Assert.That(() => MessengerWebhookParser.ParseInbound(Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account","entry":[]}""")), Throws.InstanceOf<FormatException>());
}
