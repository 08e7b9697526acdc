using Microsoft.Extensions.DependencyInjection;
using Turumba.Channels;

namespace Turumba.UnitTests.Channels;

[TestFixture]
public sealed class ChannelAdapterRegistryTests
{
    [Test]
    public void Resolves_by_provider_and_uses_the_types_default_when_no_provider_is_named()
    {
        var registry = Registry(typeof(TwilioLike), typeof(VonageLike));

        Assert.Multiple(() =>
        {
            Assert.That(registry.Resolve("sms", "vonage"), Is.InstanceOf<VonageLike>());
            Assert.That(registry.Resolve("sms", "twilio"), Is.InstanceOf<TwilioLike>());
            Assert.That(registry.Resolve("sms"), Is.InstanceOf<TwilioLike>(), "no provider: the default");
            Assert.That(registry.TryResolve("sms", "unknown"), Is.Null, "an unknown provider never falls back to another provider's API");
        });
    }

    [Test]
    public void Unknown_type_is_adapter_not_found_naming_it()
    {
        var registry = Registry(typeof(TwilioLike));

        var error = Assert.Throws<AdapterNotFoundException>(() => registry.Resolve("pigeon"));

        Assert.That(error!.Message, Does.Contain("pigeon"));
        Assert.That(registry.TryResolve("pigeon"), Is.Null);
    }

    [Test]
    public void Lists_what_is_registered()
    {
        var registry = Registry(typeof(VonageLike), typeof(TwilioLike));

        Assert.That(registry.List(), Is.EqualTo(new[]
        {
            new AdapterDescriptor("sms", "twilio", true, nameof(TwilioLike)),
            new AdapterDescriptor("sms", "vonage", false, nameof(VonageLike)),
        }));
    }

    [Test]
    public void Two_defaults_for_one_type_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => Registry(typeof(TwilioLike), typeof(OtherDefault)));
    }

    [Test]
    public void Discovery_finds_the_telegram_adapter()
    {
        var services = new ServiceCollection().AddLogging().AddHttpClient().AddOptions();
        new Turumba.Adapters.AdaptersModule().AddServices(services, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), Turumba.Platform.Hosting.HostRoles.AllRoles);
        using var provider = services.BuildServiceProvider();

        var registry = provider.GetRequiredService<ChannelAdapterRegistry>();

        Assert.That(registry.List().Select(d => (d.ChannelType, d.Provider, d.IsDefault)), Does.Contain(("telegram", "telegram", true)));
    }

    private static ChannelAdapterRegistry Registry(params Type[] types)
    {
        var services = new ServiceCollection();
        foreach (var type in types)
        {
            services.AddSingleton(type);
        }

        return new ChannelAdapterRegistry(services.BuildServiceProvider(), new AdapterTypes(types));
    }

    private abstract class FakeAdapter : IChannelAdapter
    {
        public CredentialRules Credentials { get; } = new([], []);

        public Task<DispatchResult> SendAsync(DispatchPayload payload, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<CredentialCheck> VerifyCredentialsAsync(ChannelCredentials credentials, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ChannelHealth> CheckHealthAsync(ChannelCredentials credentials, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<WebhookRegistration?> RegisterWebhookAsync(ChannelCredentials credentials, Uri webhookUrl, CancellationToken cancellationToken) => throw new NotSupportedException();

        public bool VerifySignature(WebhookRequest request, ChannelCredentials credentials) => false;

        public IReadOnlyList<InboundMessage> ParseInbound(WebhookRequest request) => [];

        public IReadOnlyList<StatusUpdate> ParseStatusUpdates(WebhookRequest request) => [];
    }

    [ChannelAdapter("sms", "twilio", IsDefault = true)]
    private sealed class TwilioLike : FakeAdapter;

    [ChannelAdapter("sms", "vonage")]
    private sealed class VonageLike : FakeAdapter;

    [ChannelAdapter("sms", "other", IsDefault = true)]
    private sealed class OtherDefault : FakeAdapter;
}
