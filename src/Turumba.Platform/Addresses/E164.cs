using PhoneNumbers;

namespace Turumba.Platform.Addresses;

/// <summary>
/// Phone numbers in E.164 (<c>+251911234567</c>), parsed with libphonenumber. Numbers must be
/// international (a leading <c>+</c> or <c>00</c>): there is no account region to read a national
/// number in. Spaces, dashes, dots and parentheses are allowed and dropped.
/// </summary>
public static class E164
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public const string Rule =
        "must be an international phone number: '+' (or 00), country code and number, e.g. +251911234567.";

    /// <summary>
    /// The number in E.164, or null when it cannot be one: not parsable, no country code, or a length
    /// no number of its country has. "Possible", not "valid": the provider, which knows the live
    /// ranges, refuses a number that does not exist; a library release must not refuse a new range.
    /// </summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.StartsWith("00", StringComparison.Ordinal))
        {
            trimmed = "+" + trimmed[2..];
        }

        if (!trimmed.StartsWith('+'))
        {
            return null;
        }

        try
        {
            var number = Util.Parse(trimmed, null);
            return Util.IsPossibleNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
