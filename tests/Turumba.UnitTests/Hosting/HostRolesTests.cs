using Turumba.Platform.Hosting;

namespace Turumba.UnitTests.Hosting;

[TestFixture]
public sealed class HostRolesTests
{
    [Test]
    public void All_includes_every_role_and_channel()
    {
        var roles = HostRoles.Parse("all");

        Assert.Multiple(() =>
        {
            Assert.That(HostRole.Names.All(roles.Has), Is.True);
            Assert.That(roles.DispatchedChannelTypes, Is.EquivalentTo(HostRole.ChannelTypes));
        });
    }

    [Test]
    public void Dispatch_of_one_type_consumes_only_that_type()
    {
        var roles = HostRoles.Parse("api, dispatch:telegram");

        Assert.Multiple(() =>
        {
            Assert.That(roles.Has(HostRole.Api), Is.True);
            Assert.That(roles.Has(HostRole.Groups), Is.False);
            Assert.That(roles.Has(HostRole.Dispatch), Is.False);
            Assert.That(roles.DispatchedChannelTypes, Is.EqualTo(new[] { "telegram" }));
        });
    }

    [Test]
    public void Plain_dispatch_consumes_every_type()
    {
        Assert.That(HostRoles.Parse("dispatch").DispatchedChannelTypes, Is.EquivalentTo(HostRole.ChannelTypes));
    }

    [Test]
    public void Role_names_are_case_insensitive_and_round_trip()
    {
        var roles = HostRoles.Parse("API,Dispatch:SMS,dispatch:smpp");

        Assert.That(roles.ToString(), Is.EqualTo("api,dispatch:smpp,dispatch:sms"));
    }

    [TestCase("bogus", "Unknown role 'bogus'")]
    [TestCase("api,dispatch:pigeon", "Unknown channel type 'pigeon'")]
    [TestCase("", "No roles given")]
    [TestCase(null, "No roles given")]
    public void Bad_roles_fail_with_a_message_naming_the_problem(string? value, string message)
    {
        var error = Assert.Throws<StartupConfigurationException>(() => HostRoles.Parse(value));

        Assert.That(error!.Message, Does.Contain(message));
    }
}
