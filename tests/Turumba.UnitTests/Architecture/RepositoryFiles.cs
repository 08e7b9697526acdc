namespace Turumba.UnitTests;

/// <summary>The source tree the tests were built from, for the tests that read code rather than types.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The C# files of a project under <c>src/</c>, without build output or migrations.</summary>
    public static IEnumerable<string> SourceOf(string project) =>
        Directory.EnumerateFiles(Path("src", project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{System.IO.Path.DirectorySeparatorChar}bin{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{System.IO.Path.DirectorySeparatorChar}Migrations{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Turumba.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Turumba.sln above {AppContext.BaseDirectory}.");
    }
}
