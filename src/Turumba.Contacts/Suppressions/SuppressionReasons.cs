using Turumba.Platform;

namespace Turumba.Contacts.Suppressions;

internal static class SuppressionReasons
{
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<SuppressionReason>().Select(r => r.ToSnakeCase()).ToList();

    /// <summary>The reason named <paramref name="name"/> (<c>opt_out</c>, …); null for anything else.</summary>
    public static SuppressionReason? Parse(string? name) =>
        Enum.GetValues<SuppressionReason>().Cast<SuppressionReason?>().FirstOrDefault(r => r!.Value.ToSnakeCase() == name);
}
