using System.Security.Cryptography;
using System.Text;

namespace Turumba.Platform.Tenancy;

/// <summary>
/// Generates and hashes API keys. Keys carry 240 random bits, so a plain SHA-256 (not a slow
/// password hash) is enough, and the hash itself can be the indexed lookup key.
/// </summary>
internal static class ApiKeySecret
{
    public const string KeyPrefix = "trb_";
    public const int MinimumLength = 32;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Generate() => KeyPrefix + RandomNumberGenerator.GetString(Alphabet, 40);

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string DisplayPrefix(string key) => key[..Math.Min(key.Length, 12)];
}
