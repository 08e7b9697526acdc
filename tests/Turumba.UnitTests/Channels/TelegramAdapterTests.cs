using System.Net;
using System.Text;
using Turumba.Adapters.Telegram;
using Turumba.Channels;

namespace Turumba.UnitTests.Channels;

[TestFixture]
public sealed class TelegramAdapterTests
{
    [Test]
    public void Unauthorized_is_an_auth_error()
    {
        var error = TelegramAdapter.MapError(HttpStatusCode.Unauthorized, """{"ok":false,"error_code":401,"description":"Unauthorized"}""");

        Assert.That(error, Is.InstanceOf<ProviderAuthException>());
        Assert.That(error.Retryable, Is.False);
    }

    [Test]
    public void Not_found_token_is_an_auth_error()
    {
        Assert.That(TelegramAdapter.MapError(HttpStatusCode.NotFound, """{"ok":false,"error_code":404,"description":"Not Found"}"""),
            Is.InstanceOf<ProviderAuthException>());
    }

    [Test]
    public void Too_many_requests_carries_retry_after()
    {
        var error = TelegramAdapter.MapError((HttpStatusCode)429,
            """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}""");

        Assert.That(error, Is.InstanceOf<ProviderRateLimitException>());
        Assert.That(((ProviderRateLimitException)error).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [TestCase(HttpStatusCode.InternalServerError)]
    [TestCase(HttpStatusCode.BadGateway)]
    public void Server_errors_are_retryable(HttpStatusCode status)
    {
        var error = TelegramAdapter.MapError(status, "<html>bad gateway</html>");

        Assert.That(error, Is.InstanceOf<ProviderConnectionException>());
        Assert.That(error.Retryable, Is.True);
    }

    [Test]
    public void Other_client_errors_are_permanent_with_telegrams_description()
    {
        var error = TelegramAdapter.MapError(HttpStatusCode.Forbidden, """{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}""");

        Assert.That(error, Is.InstanceOf<InvalidPayloadException>());
        Assert.That(error.Message, Does.Contain("bot was blocked by the user"));
        Assert.That(error.ProviderCode, Is.EqualTo("403"));
    }

    [Test]
    public void Signature_is_the_secret_token_header()
    {
        var adapter = new TelegramAdapter(null!, Microsoft.Extensions.Options.Options.Create(new TelegramOptions()));
        var credentials = new ChannelCredentials(new Dictionary<string, string> { ["bot_token"] = "1:x", ["webhook_secret"] = "s3cret-value" });

        Assert.Multiple(() =>
        {
            Assert.That(adapter.VerifySignature(Webhook("s3cret-value"), credentials), Is.True);
            Assert.That(adapter.VerifySignature(Webhook("s3cret-valuf"), credentials), Is.False);
            Assert.That(adapter.VerifySignature(Webhook(null), credentials), Is.False);
            Assert.That(adapter.VerifySignature(Webhook("anything"), new ChannelCredentials(new Dictionary<string, string>())), Is.False);
        });
    }

    private static WebhookRequest Webhook(string? secret) => new(
        "http://localhost/webhooks/telegram/x",
        secret is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["x-telegram-bot-api-secret-token"] = secret },
        Encoding.UTF8.GetBytes("{}"));
}
