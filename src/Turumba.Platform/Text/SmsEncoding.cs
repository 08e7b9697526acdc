namespace Turumba.Platform.Text;

/// <summary>
/// How a text travels as SMS: GSM-7 (3GPP TS 23.038 default alphabet; the extension table's
/// characters <c>€ [ ] { } ^ ~ | \</c> and form feed take two septets) when every character has a
/// GSM-7 code, UCS-2 otherwise. 160 septets or 70 UTF-16 units fit one message; longer texts are
/// concatenated with a 7-septet / 3-unit header per part (153 / 67). A two-septet character or a
/// surrogate pair is never split across parts, as phones and SMSCs split them.
/// </summary>
public static class SmsEncoding
{
    public const string Gsm7 = "GSM-7";
    public const string Ucs2 = "UCS-2";

    private const string Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Extension = "\f^{}\\[~]|€";

    public static SmsSegments Measure(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsGsm7(text) ? Gsm7Segments(text) : Ucs2Segments(text);
    }

    /// <summary>Whether every character has a code in the GSM-7 default alphabet or its extension table.</summary>
    public static bool IsGsm7(string text) => text.All(c => Basic.Contains(c, StringComparison.Ordinal) || Extension.Contains(c, StringComparison.Ordinal));

    private static SmsSegments Gsm7Segments(string text)
    {
        var total = text.Sum(c => Extension.Contains(c, StringComparison.Ordinal) ? 2 : 1);
        if (total <= 160)
        {
            return new SmsSegments(Gsm7, 1, total);
        }

        var parts = 1;
        var used = 0;
        foreach (var width in text.Select(c => Extension.Contains(c, StringComparison.Ordinal) ? 2 : 1))
        {
            if (used + width > 153)
            {
                parts++;
                used = 0;
            }

            used += width;
        }

        return new SmsSegments(Gsm7, parts, total);
    }

    private static SmsSegments Ucs2Segments(string text)
    {
        if (text.Length <= 70)
        {
            return new SmsSegments(Ucs2, 1, text.Length);
        }

        var parts = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (used + width > 67)
            {
                parts++;
                used = 0;
            }

            used += width;
            i += width - 1;
        }

        return new SmsSegments(Ucs2, parts, text.Length);
    }
}

/// <summary>
/// A text measured as SMS: its <see cref="Encoding"/> (<c>GSM-7</c> or <c>UCS-2</c>), how many
/// messages it is sent as, and its length in that encoding's units (septets, or UTF-16 code units).
/// </summary>
public sealed record SmsSegments(string Encoding, int Segments, int Units);
