using NetArchTest.Rules;
using Turumba.Contacts;
using Turumba.Platform;

namespace Turumba.UnitTests;

/// <summary>Module boundaries: modules depend on the platform and contracts, never on each other's insides.</summary>
[TestFixture]
public sealed class ArchitectureTests
{
    private static readonly string[] ModuleNamespaces = ["Turumba.Contacts"];

    [Test]
    public void Platform_depends_on_no_module()
    {
        var result = Types.InAssembly(typeof(PlatformModule).Assembly).ShouldNot().HaveDependencyOnAny(ModuleNamespaces).GetResult();

        Assert.That(result.IsSuccessful, Is.True, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Test]
    public void Modules_expose_only_their_module_class()
    {
        var result = Types.InAssembly(typeof(ContactsModule).Assembly)
            .That().AreNotNested()
            .And().DoNotHaveName(nameof(ContactsModule))
            .Should().NotBePublic()
            .GetResult();

        Assert.That(result.IsSuccessful, Is.True, string.Join(", ", result.FailingTypeNames ?? []));
    }
}
