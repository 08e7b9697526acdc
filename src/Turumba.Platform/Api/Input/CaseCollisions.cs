namespace Turumba.Platform.Api.Input;

/// <summary>
/// Keys that differ only in case. Template values are looked up ignoring case, so such a map
/// has no meaning and cannot be loaded into a case-insensitive dictionary.
/// </summary>
public static class CaseCollisions
{
    /// <summary>Every key that shares its case-insensitive form with another, in input order; empty when none do.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> keys)
    {
        var groups = keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();
        return groups.Count == 0 ? [] : groups.SelectMany(g => g).ToList();
    }

    public static string Describe(IReadOnlyList<string> colliding) =>
        $"has keys that differ only in case ({string.Join(", ", colliding)}); keep one of each";
}

/// <summary>Stored values (from before the API refused them) whose keys differ only in case.</summary>
public sealed class CaseCollisionException(IReadOnlyList<string> colliding)
    : ArgumentException($"The values {CaseCollisions.Describe(colliding)}.")
{
    public IReadOnlyList<string> Colliding { get; } = colliding;
}
