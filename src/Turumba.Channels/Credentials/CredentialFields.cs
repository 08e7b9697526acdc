namespace Turumba.Channels.Credentials;

/// <summary>
/// The credential rules every channel shares, whatever its provider; the provider's own fields
/// come from its adapter's <see cref="CredentialRules"/>.
/// </summary>
internal static class CredentialFields
{
    // A safety net for fields an adapter forgot to declare secret (or a type without an adapter yet):
    // anything named like a secret is masked.
    private static readonly string[] SecretLooking = ["token", "secret", "password", "key", "auth"];

    public static bool LooksSecret(string field) =>
        SecretLooking.Any(word => field.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>Never shown at all, even masked (our own generated secrets).</summary>
    public static bool IsHidden(string field) => field == ChannelCredentials.WebhookSecret;
}
