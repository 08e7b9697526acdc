using System.Text.RegularExpressions;

namespace Turumba.UnitTests;

/// <summary>
/// A module keeps its tables to itself: raw SQL in a module names only its own schema. Another
/// module's rows are reached through its public interfaces (IMessageStore, IContactDirectory, …).
/// </summary>
[TestFixture]
public sealed partial class SchemaOwnershipTests
{
    private static readonly Dictionary<string, string?> OwnSchema = new(StringComparer.Ordinal)
    {
        ["Turumba.Platform"] = "platform",
        ["Turumba.Contacts"] = "contacts",
        ["Turumba.Channels"] = "channels",
        ["Turumba.Messaging"] = "messaging",
        ["Turumba.Groups"] = "groups",
        ["Turumba.Scheduling"] = "scheduling",
        ["Turumba.Adapters"] = null,
        ["Turumba.Dispatch"] = null,
        ["Turumba.Webhooks"] = null,
    };

    [TestCaseSource(nameof(Modules))]
    public void Sql_in_a_module_names_only_its_own_schema(string module)
    {
        var foreign = RepositoryFiles.SourceOf(module)
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .SelectMany(l => SqlTable().Matches(l.line).Select(m => (l.file, l.number, schema: m.Groups["schema"].Value, table: m.Value)))
            .Where(hit => hit.schema != OwnSchema[module])
            .Select(hit => $"{Path.GetRelativePath(RepositoryFiles.Root, hit.file)}:{hit.number} {hit.table}")
            .ToList();

        Assert.That(foreign, Is.Empty, $"{module} names another module's tables");
    }

    [Test]
    public void The_check_finds_a_table_in_sql()
    {
        Assert.That(SqlTable().Match("update messaging.messages set status = 'x'").Value, Is.EqualTo("update messaging.messages"));
        Assert.That(SqlTable().IsMatch("using Turumba.Messaging.Messages;"), Is.False);
    }

    private static IEnumerable<string> Modules() => OwnSchema.Keys;

    // A schema-qualified table after the SQL words that name one.
    [GeneratedRegex(@"\b(?:from|join|update|into|table|exists)\s+(?<schema>platform|contacts|channels|messaging|groups|scheduling)\.[a-z_]+", RegexOptions.IgnoreCase)]
    private static partial Regex SqlTable();
}
