using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Channels;
using Turumba.Channels.Credentials;

namespace Turumba.UnitTests.Channels;

[TestFixture]
public sealed class CredentialMaskingTests
{
    [Test]
    public void The_adapters_secrets_and_secret_looking_fields_are_masked_others_shown_and_generated_secrets_hidden()
    {
        var masked = Protector().Mask("pager", null, new Dictionary<string, string>
        {
            ["pin"] = "1234567890123456",
            ["bot_token"] = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
            ["api_secret"] = "short",
            ["phone_number_id"] = "1055",
            ["webhook_secret"] = "never-show-this",
        });

        Assert.That(masked, Is.EqualTo(new Dictionary<string, string>
        {
            ["pin"] = "123****3456",
            ["bot_token"] = "123****Dsaw",
            ["api_secret"] = "****",
            ["phone_number_id"] = "1055",
        }));
    }

    [Test]
    public void A_type_without_an_adapter_still_masks_secret_looking_fields()
    {
        var masked = Protector().Mask("carrier-pigeon", null, new Dictionary<string, string> { ["password"] = "hunter2", ["pin"] = "1234" });

        Assert.That(masked, Is.EqualTo(new Dictionary<string, string> { ["password"] = "****", ["pin"] = "1234" }));
    }

    private static CredentialProtector Protector()
    {
        var services = new ServiceCollection().AddSingleton<PagerAdapter>().BuildServiceProvider();
        return new CredentialProtector(new EphemeralDataProtectionProvider(), new ChannelAdapterRegistry(services, new AdapterTypes([typeof(PagerAdapter)])));
    }

    [ChannelAdapter("pager", "pagerco", IsDefault = true)]
    private sealed class PagerAdapter : IChannelAdapter
    {
        public CredentialRules Credentials { get; } = new(["pin"], ["pin"]);

        public Task<DispatchResult> SendAsync(DispatchPayload payload, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<CredentialCheck> VerifyCredentialsAsync(ChannelCredentials credentials, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ChannelHealth> CheckHealthAsync(ChannelCredentials credentials, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<WebhookRegistration?> RegisterWebhookAsync(ChannelCredentials credentials, Uri webhookUrl, CancellationToken cancellationToken) => throw new NotSupportedException();

        public bool VerifySignature(WebhookRequest request, ChannelCredentials credentials) => false;

        public IReadOnlyList<InboundMessage> ParseInbound(WebhookRequest request) => [];

        public IReadOnlyList<StatusUpdate> ParseStatusUpdates(WebhookRequest request) => [];
    }
}
