using System.Text.Json;

namespace Turumba.Platform;

/// <summary>The snake_case word an enum value is in the API, the database and events (e.g. <c>permanently_failed</c>).</summary>
public static class EnumNames
{
    public static string ToSnakeCase<TEnum>(this TEnum value)
        where TEnum : struct, Enum =>
        Names<TEnum>.ByValue.TryGetValue(value, out var name) ? name : JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    // Computed once per enum type, so hot paths (dispatch outcomes, status events) allocate nothing.
    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> ByValue =
            Enum.GetValues<TEnum>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));
    }
}
