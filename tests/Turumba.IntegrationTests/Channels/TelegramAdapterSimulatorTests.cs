using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Channels;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Channels;

/// <summary>The Telegram adapter over real HTTP against the simulator's Bot API.</summary>
[TestFixture]
public sealed class TelegramAdapterSimulatorTests
{
    private SimulatorHost _simulator = null!;
    private IChannelAdapter _adapter = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _simulator = await SimulatorHost.StartAsync();
        _adapter = TestServices.App.Services.GetRequiredService<ChannelAdapterRegistry>().Resolve("telegram");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _simulator.DisposeAsync();

    [SetUp]
    public void Reset() => _simulator.Telegram.Reset();

    [Test]
    public async Task Text_is_sent_to_the_chat_with_parse_mode()
    {
        var result = await _adapter.SendAsync(Payload("555", "*Hello*", new Dictionary<string, string> { ["parse_mode"] = "MarkdownV2" }), default);

        var request = _simulator.Telegram.RequestsFor("sendMessage").Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Parameters["chat_id"]!.ToString(), Is.EqualTo("555"));
            Assert.That(request.Parameters["text"]!.ToString(), Is.EqualTo("*Hello*"));
            Assert.That(request.Parameters["parse_mode"]!.ToString(), Is.EqualTo("MarkdownV2"));
            Assert.That(result.ProviderMessageId, Does.StartWith("555:"));
        });
    }

    [Test]
    public async Task Media_goes_through_send_photo_or_send_document()
    {
        await _adapter.SendAsync(Payload("555", "caption", media: ("https://example.com/a.jpg", "image/jpeg")), default);
        await _adapter.SendAsync(Payload("555", "", media: ("https://example.com/a.pdf", "application/pdf")), default);

        Assert.Multiple(() =>
        {
            Assert.That(_simulator.Telegram.RequestsFor("sendPhoto").Single().Parameters["caption"]!.ToString(), Is.EqualTo("caption"));
            Assert.That(_simulator.Telegram.RequestsFor("sendDocument").Single().Parameters["document"]!.ToString(), Is.EqualTo("https://example.com/a.pdf"));
        });
    }

    [Test]
    public void Provider_errors_map_to_what_dispatch_must_do()
    {
        _simulator.Telegram.Faults.FailNext(1);
        Assert.ThrowsAsync<ProviderConnectionException>(() => _adapter.SendAsync(Payload("555", "x"), default));

        _simulator.Telegram.Faults.RateLimitNext(1, 3);
        var limited = Assert.ThrowsAsync<ProviderRateLimitException>(() => _adapter.SendAsync(Payload("555", "x"), default));
        Assert.That(limited!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));

        Assert.ThrowsAsync<InvalidPayloadException>(() => _adapter.SendAsync(Payload("-404123", "x"), default));

        var token = Token;
        _simulator.Telegram.Faults.RejectToken(token);
        Assert.ThrowsAsync<ProviderAuthException>(() => _adapter.SendAsync(Payload("555", "x"), default));
    }

    [Test]
    public void Unreachable_provider_is_a_connection_error()
    {
        var credentials = new ChannelCredentials(new Dictionary<string, string> { ["bot_token"] = Token, ["api_base_url"] = "http://127.0.0.1:9" });

        Assert.ThrowsAsync<ProviderConnectionException>(() => _adapter.VerifyCredentialsAsync(credentials, default));
    }

    [Test]
    public async Task Simulator_posts_updates_to_the_registered_webhook_with_its_secret()
    {
        var received = new TaskCompletionSource<(string? Secret, byte[] Body)>();
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/hook", async (Microsoft.AspNetCore.Http.HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.TrySetResult((request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString(), body.ToArray()));
            return Microsoft.AspNetCore.Http.Results.Ok();
        });
        await receiver.StartAsync();
        var url = new Uri(receiver.Urls.First() + "/hook");
        var credentials = new ChannelCredentials(new Dictionary<string, string>
        {
            ["bot_token"] = Token, ["api_base_url"] = _simulator.BaseUrl.ToString(), ["webhook_secret"] = "the-secret",
        });
        await _adapter.RegisterWebhookAsync(credentials, url, default);

        var status = await _simulator.Telegram.DeliverUpdateAsync(Token, _simulator.Telegram.TextUpdate(777, "hi there"), default);
        var (secret, body) = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var webhook = new WebhookRequest(url.ToString(), new Dictionary<string, string> { ["X-Telegram-Bot-Api-Secret-Token"] = secret! }, body);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(200));
            Assert.That(_adapter.VerifySignature(webhook, credentials), Is.True);
            Assert.That(_adapter.ParseInbound(webhook).Single().Body, Is.EqualTo("hi there"));
            Assert.That(_adapter.ParseInbound(webhook).Single().SenderAddress, Is.EqualTo("777"));
        });
    }

    private const string Token = "4242:AAtelegram_simulator_token_1234567890";

    private DispatchPayload Payload(string chat, string body, Dictionary<string, string>? metadata = null, (string Url, string Type)? media = null) => new(
        Guid.CreateVersion7(), Guid.NewGuid(), "telegram",
        new ChannelCredentials(new Dictionary<string, string> { ["bot_token"] = Token, ["api_base_url"] = _simulator.BaseUrl.ToString() }),
        chat, body, metadata ?? [], media?.Url, media?.Type);
}
