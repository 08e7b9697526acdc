using NetArchTest.Rules;
using Turumba.Contacts;
using Turumba.Platform;

namespace Turumba.UnitTests;

/// <summary>Module boundaries: modules depend on the platform and contracts, never on each other's insides.</summary>
[TestFixture]
public sealed class ArchitectureTests
{
    private static readonly string[] ModuleNamespaces = ["Turumba.Contacts", "Turumba.Messaging", "Turumba.Channels", "Turumba.Adapters", "Turumba.Dispatch", "Turumba.Webhooks", "Turumba.Groups", "Turumba.Scheduling"];

    [Test]
    public void Platform_depends_on_no_module()
    {
        var result = Types.InAssembly(typeof(PlatformModule).Assembly).ShouldNot().HaveDependencyOnAny(ModuleNamespaces).GetResult();

        Assert.That(result.IsSuccessful, Is.True, string.Join(", ", result.FailingTypeNames ?? []));
    }

    // A module's public surface (module class, deliberate contracts such as IContactDirectory)
    // sits in its root namespace; everything in its feature folders stays internal.
    [TestCaseSource(nameof(ModuleAssemblies))]
    public void Module_internals_are_internal(System.Reflection.Assembly module)
    {
        var root = module.GetName().Name!;
        var result = Types.InAssembly(module)
            .That().ResideInNamespaceStartingWith(root + ".")
            .Should().NotBePublic()
            .GetResult();

        Assert.That(result.IsSuccessful, Is.True, string.Join(", ", result.FailingTypeNames ?? []));
    }

    private static IEnumerable<System.Reflection.Assembly> ModuleAssemblies() =>
        [
            typeof(ContactsModule).Assembly, typeof(Turumba.Messaging.MessagingModule).Assembly,
            typeof(Turumba.Channels.ChannelsModule).Assembly, typeof(Turumba.Adapters.AdaptersModule).Assembly,
            typeof(Turumba.Dispatch.DispatchModule).Assembly, typeof(Turumba.Webhooks.WebhooksModule).Assembly,
            typeof(Turumba.Groups.GroupsModule).Assembly, typeof(Turumba.Scheduling.SchedulingModule).Assembly,
        ];
}
