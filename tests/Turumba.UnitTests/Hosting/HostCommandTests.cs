using Turumba.Host;
using Turumba.Platform.Hosting;

namespace Turumba.UnitTests.Hosting;

[TestFixture]
public sealed class HostCommandTests
{
    [Test]
    public void No_verb_serves_with_all_arguments()
    {
        var command = HostCommand.Parse(["--roles", "api", "--urls", "http://127.0.0.1:1"]);

        Assert.Multiple(() =>
        {
            Assert.That(command.Verb, Is.EqualTo(HostVerb.Serve));
            Assert.That(command.Arguments, Has.Length.EqualTo(4));
        });
    }

    [Test]
    public void Migrate_and_accounts_create_are_verbs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HostCommand.Parse(["migrate"]).Verb, Is.EqualTo(HostVerb.Migrate));
            Assert.That(HostCommand.Parse(["accounts", "create", "--name", "x"]).Arguments, Is.EqualTo(new[] { "--name", "x" }));
        });
    }

    [TestCase("migrat")]
    [TestCase("accounts")]
    public void Unknown_verb_is_a_configuration_error(string verb)
    {
        Assert.Throws<StartupConfigurationException>(() => HostCommand.Parse([verb]));
    }
}
