using System.Security.Cryptography;
using System.Text;

namespace Turumba.Adapters.Twilio;

/// <summary>
/// <c>X-Twilio-Signature</c> (https://www.twilio.com/docs/usage/webhooks/webhooks-security): base64 of
/// HMAC-SHA1, keyed with the auth token, over the full URL Twilio called followed by every POST
/// parameter sorted by name, each name then value. Like Twilio's own request validators, a URL is
/// also accepted with its port removed or with the scheme's default port added, since Twilio signs
/// the URL as it was configured and proxies differ on whether the port shows.
/// </summary>
internal static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        // SHA-1 is Twilio's choice, not ours: the signature cannot be checked with anything else.
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    public static bool IsValid(string authToken, string url, IReadOnlyList<KeyValuePair<string, string>> parameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(signature);
        var valid = false;
        foreach (var candidate in UrlVariants(url))
        {
            // Every variant is compared, so the time taken says nothing about which one matched.
            valid |= CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Compute(authToken, candidate, parameters)), given);
        }

        return valid;
    }

    /// <summary>The URL as given, without its port, and with the scheme's default port; case and credentials kept as they are.</summary>
    internal static IReadOnlyList<string> UrlVariants(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return [url];
        }

        var hostStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], hostStart);
        authorityEnd = authorityEnd < 0 ? url.Length : authorityEnd;
        var authority = url[hostStart..authorityEnd];
        var hostOnly = authority[(authority.LastIndexOf('@') + 1)..];
        var portStart = hostOnly.LastIndexOf(':');
        var hasPort = portStart >= 0 && !hostOnly.EndsWith(']');
        var withoutPort = hasPort ? authority[..(authority.Length - (hostOnly.Length - portStart))] : authority;
        var defaultPort = url[..schemeEnd].Equals("https", StringComparison.OrdinalIgnoreCase) ? "443" : "80";
        var prefix = url[..hostStart];
        var rest = url[authorityEnd..];
        return [url, prefix + withoutPort + rest, prefix + withoutPort + ":" + defaultPort + rest];
    }
}
