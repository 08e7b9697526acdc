namespace Turumba.UnitTests;

/// <summary>
/// Every public type of our assemblies, checked in (<c>public-surface.txt</c> beside this file), so
/// a module's surface grows only on purpose and in review. When the test fails it lists what
/// appeared and what went; update the file in the same change if that was the intent.
/// </summary>
[TestFixture]
public sealed class PublicSurfaceTests
{
    private static readonly string Approved = RepositoryFiles.Path("tests", "Turumba.UnitTests", "Architecture", "public-surface.txt");

    [Test]
    public void The_public_types_are_the_approved_ones()
    {
        var actual = Surface();
        var approved = File.ReadAllLines(Approved).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        var added = actual.Except(approved, StringComparer.Ordinal).ToList();
        var removed = approved.Except(actual, StringComparer.Ordinal).ToList();
        if (added.Count + removed.Count > 0)
        {
            // The whole list as it is now, to copy over the approved one when the change is meant.
            File.WriteAllLines(ActualPath, File.ReadLines(Approved).TakeWhile(l => l.StartsWith('#')).Concat(actual));
        }

        Assert.That(added.Concat(removed.Select(r => "gone: " + r)), Is.Empty,
            $"The public surface changed; if intended: cp {ActualPath} {Path.GetRelativePath(RepositoryFiles.Root, Approved)}\nNew: {string.Join(", ", added)}");
    }

    private static string ActualPath => Path.Combine(Path.GetTempPath(), "turumba-public-surface.txt");

    private static List<string> Surface() => ModuleGraphTests.Assemblies()
        .SelectMany(a => a.GetExportedTypes().Select(t => $"{a.GetName().Name}: {t.FullName}"))
        .Order(StringComparer.Ordinal)
        .ToList();
}
