using System.Security.Cryptography;

namespace Turumba.Channels.Credentials;

/// <summary>The credential fields an adapter has Turumba generate when they are missing (Meta's <c>verify_token</c>, decision 55).</summary>
internal static class GeneratedCredentials
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// Adds each of the adapter's generated fields that <paramref name="credentials"/> lacks (32 random
    /// alphanumerics) and returns what was added, to be shown once in the answer.
    /// </summary>
    public static Dictionary<string, string> AddMissing(IChannelAdapter? adapter, Dictionary<string, string> credentials)
    {
        var generated = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in adapter?.Credentials.Generated ?? [])
        {
            if (!CredentialRules.Has(credentials, field))
            {
                credentials[field] = generated[field] = RandomNumberGenerator.GetString(Alphabet, 32);
            }
        }

        return generated;
    }
}
