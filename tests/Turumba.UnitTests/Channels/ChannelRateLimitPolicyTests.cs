using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Turumba.Adapters;
using Turumba.Channels;
using Turumba.Platform.Hosting;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.UnitTests.Channels;

/// <summary>Which limits a channel's sends count against, from its own settings and <c>Turumba:RateLimits</c>.</summary>
[TestFixture]
public sealed class ChannelRateLimitPolicyTests
{
    private static readonly Guid AccountA = Guid.Parse("0193a0f0-0000-7000-8000-00000000000a");
    private static readonly Guid AccountB = Guid.Parse("0193a0f0-0000-7000-8000-00000000000b");

    [Test]
    public void Without_settings_a_channel_gets_only_its_own_limit()
    {
        using var services = Services([]);
        var policy = services.GetRequiredService<ChannelRateLimitPolicy>();
        var limited = Telegram(AccountA, "1001:AAsecret", rateLimit: 30);

        Assert.Multiple(() =>
        {
            Assert.That(policy.For(limited), Is.EqualTo(new[] { RateLimit.PerMinute($"channel:{limited.Id}", 30) }));
            Assert.That(policy.For(Telegram(AccountA, "1001:AAsecret", rateLimit: null)), Is.Empty);
        });
    }

    [Test]
    public void Channels_of_one_bot_share_its_provider_account_limit_next_to_their_own_and_their_tenants()
    {
        using var services = Services(new()
        {
            ["Turumba:RateLimits:ProviderAccounts:telegram"] = "20",
            ["Turumba:RateLimits:TenantPerMinute"] = "100",
        });
        var policy = services.GetRequiredService<ChannelRateLimitPolicy>();
        var first = Telegram(AccountA, "1001:AAfirst-copy-of-the-token", rateLimit: 30);
        var second = Telegram(AccountA, "1001:AAsecond-copy-of-the-token", rateLimit: null);
        var otherBot = Telegram(AccountA, "2002:AAanother-bot", rateLimit: null);

        Assert.Multiple(() =>
        {
            Assert.That(policy.For(first), Is.EqualTo(new[]
            {
                RateLimit.PerMinute($"channel:{first.Id}", 30),
                RateLimit.PerMinute("provider:telegram:1001", 20),
                RateLimit.PerMinute($"tenant:{AccountA}", 100),
            }));
            Assert.That(policy.For(second).Select(l => l.Key), Is.EqualTo(new[] { "provider:telegram:1001", $"tenant:{AccountA}" }));
            Assert.That(policy.For(otherBot).Select(l => l.Key), Does.Contain("provider:telegram:2002"));
            Assert.That(string.Concat(policy.For(first).Select(l => l.Key)), Does.Not.Contain("AA"), "no part of the token's secret in a key");
        });
    }

    [Test]
    public void Provider_account_limit_needs_the_provider_configured_and_an_adapter_that_knows_the_account()
    {
        using var services = Services(new() { ["Turumba:RateLimits:ProviderAccounts:twilio"] = "5" });
        var policy = services.GetRequiredService<ChannelRateLimitPolicy>();
        var sms = Telegram(AccountA, "1001:AAsecret", rateLimit: null) with
        {
            ChannelType = "sms", Provider = "twilio",
            Credentials = new ChannelCredentials(new Dictionary<string, string> { ["account_sid"] = "AC0001", ["auth_token"] = "secret" }),
        };
        var smsWithoutAccount = sms with { Credentials = new ChannelCredentials(new Dictionary<string, string> { ["auth_token"] = "secret" }) };

        Assert.Multiple(() =>
        {
            Assert.That(policy.For(Telegram(AccountA, "1001:AAsecret", rateLimit: null)), Is.Empty, "telegram has no provider-account limit configured");
            Assert.That(policy.For(sms), Is.EqualTo(new[] { RateLimit.PerMinute("provider:twilio:AC0001", 5) }), "the account SID names the Twilio account");
            Assert.That(policy.For(smsWithoutAccount), Is.Empty, "no account SID, no account to share");
            Assert.That(policy.For(Telegram(AccountA, "no-colon", rateLimit: null)), Is.Empty);
        });
    }

    [Test]
    public void Tenant_override_replaces_the_default_tenant_limit()
    {
        using var withDefault = Services(new()
        {
            ["Turumba:RateLimits:TenantPerMinute"] = "100",
            [$"Turumba:RateLimits:Tenants:{AccountA}"] = "500",
        });
        using var withoutDefault = Services(new() { [$"Turumba:RateLimits:Tenants:{AccountA.ToString().ToUpperInvariant()}"] = "500" });
        var policy = withDefault.GetRequiredService<ChannelRateLimitPolicy>();
        var overrideOnly = withoutDefault.GetRequiredService<ChannelRateLimitPolicy>();

        Assert.Multiple(() =>
        {
            Assert.That(policy.For(Telegram(AccountA, "1:AA", null)), Is.EqualTo(new[] { RateLimit.PerMinute($"tenant:{AccountA}", 500) }));
            Assert.That(policy.For(Telegram(AccountB, "1:AA", null)), Is.EqualTo(new[] { RateLimit.PerMinute($"tenant:{AccountB}", 100) }));
            Assert.That(overrideOnly.For(Telegram(AccountA, "1:AA", null)).Select(l => l.Limit), Is.EqualTo(new[] { 500 }));
            Assert.That(overrideOnly.For(Telegram(AccountB, "1:AA", null)), Is.Empty);
        });
    }

    [TestCase("TenantPerMinute", "0")]
    [TestCase("Tenants:not-an-account-id", "50")]
    [TestCase("Tenants:0193a0f0-0000-7000-8000-00000000000a", "0")]
    [TestCase("ProviderAccounts:telegram", "-1")]
    public void Invalid_settings_are_refused_naming_the_setting(string setting, string value)
    {
        using var services = Services(new() { ["Turumba:RateLimits:" + setting] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<ChannelRateLimitPolicy>());

        Assert.That(error!.Message, Does.Contain("Turumba:RateLimits:" + setting.Split(':')[0]));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddHttpClient().AddOptions().AddSingleton(TimeProvider.System);
        services.AddSingleton<IConfiguration>(configuration);
        new AdaptersModule().AddServices(services, configuration, HostRoles.AllRoles);
        new ChannelsModule().AddServices(services, configuration, HostRoles.AllRoles);
        return services.BuildServiceProvider();
    }

    private static ChannelSnapshot Telegram(Guid account, string token, int? rateLimit) => new(
        Guid.NewGuid(), account, "telegram", null, ChannelStatus.Connected, true,
        new ChannelCredentials(new Dictionary<string, string> { ["bot_token"] = token }), null, rateLimit, 3, 60);
}
