using System.Security.Cryptography;
using System.Text;

namespace Turumba.Adapters.Meta;

/// <summary>
/// <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c> (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads):
/// HMAC-SHA256 keyed with the app secret over the body bytes exactly as received. Meta signs its
/// ASCII-escaped JSON (<c>\u00e4</c>), so the bytes are never decoded and serialised again.
/// </summary>
internal static class MetaSignature
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public static string Compute(string appSecret, byte[] body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    public static bool IsValid(string appSecret, byte[] body, string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(Prefix.Length).Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body), given);
    }
}
