namespace Turumba.Platform.Api.Input;

/// <summary>PostgreSQL cannot store U+0000 in text or jsonb, so input holding it is refused.</summary>
public static class Nul
{
    public const string Refused = "must not contain NUL characters (\\u0000)";

    public static bool In(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);

    public static string Strip(string text) => In(text) ? text.Replace("\0", string.Empty, StringComparison.Ordinal) : text;
}
