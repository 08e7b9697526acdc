namespace Turumba.Platform.Api.Querying;

/// <summary>The operators of <c>?filter=field:op:value</c>; a field allows a subset.</summary>
[Flags]
public enum FilterOperators
{
    None = 0,
    Eq = 1,
    In = 2,
    Contains = 4,
    IContains = 8,
    Ge = 16,
    Le = 32,
    Range = 64,

    /// <summary>Identifiers, enums, booleans.</summary>
    Exact = Eq | In,

    /// <summary>Free text.</summary>
    Text = Eq | In | Contains | IContains,

    /// <summary>Numbers and timestamps.</summary>
    Ordered = Eq | In | Ge | Le | Range,
}

internal static class FilterOperatorNames
{
    private static readonly Dictionary<string, FilterOperators> ByName = new(StringComparer.Ordinal)
    {
        ["eq"] = FilterOperators.Eq,
        ["in"] = FilterOperators.In,
        ["contains"] = FilterOperators.Contains,
        ["icontains"] = FilterOperators.IContains,
        ["ge"] = FilterOperators.Ge,
        ["le"] = FilterOperators.Le,
        ["range"] = FilterOperators.Range,
    };

    public static bool TryParse(string name, out FilterOperators op) => ByName.TryGetValue(name, out op);

    public static string Describe(FilterOperators allowed) =>
        string.Join(", ", ByName.Where(p => allowed.HasFlag(p.Value)).Select(p => p.Key));
}
