using Turumba.Outbox;

namespace Turumba.UnitTests;

/// <summary>
/// The outbox, inbox and saga repository are a library on MassTransit, EF Core and Npgsql: it knows
/// nothing of Turumba, so MassTransit.EntityFrameworkCore could replace it by changing one reference.
/// </summary>
[TestFixture]
public sealed class OutboxBoundaryTests
{
    [Test]
    public void The_outbox_references_no_project_of_ours()
    {
        var outbox = typeof(TurumbaOutboxOptions).Assembly;

        var ours = outbox.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Turumba.", StringComparison.Ordinal));

        Assert.That(ours, Is.Empty);
    }

    [Test]
    public void The_outbox_references_only_MassTransit_EF_Core_Npgsql_and_the_framework()
    {
        string[] allowed = ["MassTransit", "Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.Extensions.", "System", "netstandard", "mscorlib"];
        var outbox = typeof(TurumbaOutboxOptions).Assembly;

        var others = outbox.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => !allowed.Any(prefix => n == prefix || n.StartsWith(prefix.TrimEnd('.') + ".", StringComparison.Ordinal)));

        Assert.That(others, Is.Empty);
    }
}
