using System.Reflection;

namespace Turumba.UnitTests;

/// <summary>
/// Which of our assemblies each may reference: the module graph as it is meant to be, stated
/// once. A new edge is a design decision (docs/architecture.md), made here on purpose, not by
/// adding a project reference in passing.
/// </summary>
[TestFixture]
public sealed class ModuleGraphTests
{
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Turumba.Contracts"] = [],
        ["Turumba.Outbox"] = [],
        ["Turumba.Platform"] = ["Turumba.Outbox"],
        ["Turumba.Contacts"] = ["Turumba.Platform", "Turumba.Contracts"],
        ["Turumba.Channels"] = ["Turumba.Platform", "Turumba.Contracts"],
        ["Turumba.Adapters"] = ["Turumba.Platform", "Turumba.Channels"],
        ["Turumba.Messaging"] = ["Turumba.Platform", "Turumba.Contracts", "Turumba.Contacts", "Turumba.Channels"],
        // Dispatch asks Contacts' ISuppressionList before any provider call (decision 42).
        ["Turumba.Dispatch"] = ["Turumba.Platform", "Turumba.Contracts", "Turumba.Contacts", "Turumba.Channels", "Turumba.Messaging"],
        ["Turumba.Webhooks"] = ["Turumba.Platform", "Turumba.Contracts", "Turumba.Channels"],
        // The group-send saga is persisted by the outbox library's saga repository.
        ["Turumba.Groups"] = ["Turumba.Platform", "Turumba.Outbox", "Turumba.Contracts", "Turumba.Contacts", "Turumba.Channels", "Turumba.Messaging"],
        ["Turumba.Scheduling"] = ["Turumba.Platform", "Turumba.Contracts", "Turumba.Contacts", "Turumba.Channels", "Turumba.Messaging", "Turumba.Groups"],
    };

    [TestCaseSource(nameof(Assemblies))]
    public void References_only_what_the_graph_allows(Assembly assembly)
    {
        var name = assembly.GetName().Name!;
        var ours = assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Turumba.", StringComparison.Ordinal));

        Assert.That(ours.Except(Allowed[name]), Is.Empty, $"{name} references an assembly the module graph does not allow; see docs/architecture.md");
    }

    [Test]
    public void Every_assembly_of_ours_has_a_place_in_the_graph()
    {
        var found = Assemblies().Select(a => a.GetName().Name!).ToHashSet(StringComparer.Ordinal);

        Assert.That(found, Is.EquivalentTo(Allowed.Keys));
    }

    /// <summary>Every Turumba assembly but the host (the composition root references them all) and the tests.</summary>
    public static IEnumerable<Assembly> Assemblies() =>
        typeof(Turumba.Host.TurumbaModules).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("Turumba.", StringComparison.Ordinal))
            .Select(Assembly.Load)
            .SelectMany(a => a.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Turumba.", StringComparison.Ordinal)).Select(Assembly.Load).Append(a))
            .DistinctBy(a => a.GetName().Name)
            .OrderBy(a => a.GetName().Name, StringComparer.Ordinal);
}
