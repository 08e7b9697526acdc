using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Turumba.Channels.Channels;

namespace Turumba.UnitTests.Channels;

public sealed class ApiBaseUrlPolicyTests
{
    private static ApiBaseUrlPolicy Policy(string environment, params string[] hosts)
    {
        var settings = hosts.Select((h, i) => new KeyValuePair<string, string?>($"{ApiBaseUrlPolicy.Setting}:{i}", h));
        return new ApiBaseUrlPolicy(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), new HostingEnvironment { EnvironmentName = environment });
    }

    private static Dictionary<string, string> BaseUrl(string url) => new() { ["api_base_url"] = url };

    [TestCase("http://127.0.0.1:5090")]
    [TestCase("http://169.254.169.254/latest/meta-data")]
    [TestCase("https://api.twilio.com")]
    public void In_production_without_listed_hosts_every_override_is_refused_and_the_setting_named(string url)
    {
        var failure = Policy(Environments.Production).Check(BaseUrl(url));

        Assert.That(failure, Is.Not.Null);
        Assert.That(failure!.PropertyName, Is.EqualTo("credentials.api_base_url"));
        Assert.That(failure.ErrorMessage, Does.Contain(ApiBaseUrlPolicy.Setting));
    }

    [Test]
    public void In_production_only_listed_hosts_are_taken_whatever_their_case()
    {
        var policy = Policy(Environments.Production, "api.eu1.twilio.com");

        Assert.Multiple(() =>
        {
            Assert.That(policy.Check(BaseUrl("https://API.eu1.twilio.com/")), Is.Null);
            Assert.That(policy.Check(BaseUrl("http://10.0.0.5:8080"))!.ErrorMessage, Does.Contain("'10.0.0.5' is not one of them"));
            Assert.That(policy.Check(BaseUrl("https://api.eu1.twilio.com.evil.example")), Is.Not.Null);
        });
    }

    [TestCase("Development")]
    [TestCase("Testing")]
    public void In_development_and_testing_any_override_is_taken(string environment) =>
        Assert.That(Policy(environment).Check(BaseUrl("http://127.0.0.1:5090")), Is.Null);

    [Test]
    public void Channels_without_an_override_are_not_concerned() =>
        Assert.That(Policy(Environments.Production).Check(new Dictionary<string, string> { ["bot_token"] = "x" }), Is.Null);
}
