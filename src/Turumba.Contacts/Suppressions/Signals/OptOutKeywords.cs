namespace Turumba.Contacts.Suppressions.Signals;

internal enum OptOutKeyword
{
    None,
    OptOut,
    OptIn,
}

/// <summary>
/// The carrier keywords (the same words Twilio's default opt-out handling answers to,
/// https://help.twilio.com/articles/223134027): a whole message, trimmed, in any letter case.
/// "Please STOP sending" is a reply, not an opt-out.
/// </summary>
internal static class OptOutKeywords
{
    private static readonly HashSet<string> OptOut = new(StringComparer.OrdinalIgnoreCase) { "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT" };
    private static readonly HashSet<string> OptIn = new(StringComparer.OrdinalIgnoreCase) { "START", "UNSTOP", "YES" };

    public static OptOutKeyword Match(string? body)
    {
        var word = body?.Trim();
        return string.IsNullOrEmpty(word) ? OptOutKeyword.None
            : OptOut.Contains(word) ? OptOutKeyword.OptOut
            : OptIn.Contains(word) ? OptOutKeyword.OptIn
            : OptOutKeyword.None;
    }
}
