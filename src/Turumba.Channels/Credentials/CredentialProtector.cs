using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Turumba.Channels.Credentials;

/// <summary>Encrypts credentials for storage and masks them for responses.</summary>
internal sealed class CredentialProtector(IDataProtectionProvider provider, ChannelAdapterRegistry adapters)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Turumba.Channels.Credentials.v1");

    public string Protect(IReadOnlyDictionary<string, string> credentials) =>
        _protector.Protect(JsonSerializer.Serialize(credentials));

    public Dictionary<string, string> Unprotect(string encrypted) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(encrypted)) ?? [];

    /// <summary>
    /// Secrets (the adapter's, and any field named like one) become <c>ab1****wxyz</c> (or <c>****</c>
    /// when short); other fields show as they are; our own generated secrets are left out.
    /// </summary>
    public Dictionary<string, string> Mask(string channelType, string? providerName, IReadOnlyDictionary<string, string> credentials)
    {
        var declared = adapters.TryResolve(channelType, providerName)?.Credentials.Secret ?? [];
        return credentials.Where(p => !CredentialFields.IsHidden(p.Key))
            .ToDictionary(p => p.Key, p => declared.Contains(p.Key) || CredentialFields.LooksSecret(p.Key) ? MaskValue(p.Value) : p.Value);
    }

    internal static string MaskValue(string value) =>
        value.Length >= 12 ? $"{value[..3]}****{value[^4..]}" : "****";
}
