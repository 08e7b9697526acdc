using System.Security.Cryptography;

namespace Turumba.Platform.Security;

/// <summary>
/// <c>Turumba:DataProtection:KeyEncryptionKey</c>: 32 bytes, base64, that encrypt the Data Protection
/// key ring at rest (<see cref="KeyRingEncryptor"/>), so a dump of the database alone does not reveal
/// the keys that protect channel credentials. Required in Production; generate one with
/// <c>openssl rand -base64 32</c> and keep it out of the database's backups.
/// </summary>
internal sealed class KeyEncryptionKeyOptions
{
    public const string Section = "Turumba:DataProtection";

    public string? KeyEncryptionKey { get; set; }

    public static bool IsValid(string? value)
    {
        var bytes = new byte[32];
        return value is null || (Convert.TryFromBase64String(value, bytes, out var written) && written == 32);
    }

    /// <summary>The key's bytes and a short id of it (the first bytes of its SHA-256), recorded beside each encrypted key.</summary>
    public (byte[] Key, string Id)? Read()
    {
        if (KeyEncryptionKey is null)
        {
            return null;
        }

        var key = Convert.FromBase64String(KeyEncryptionKey);
        return (key, Convert.ToHexString(SHA256.HashData(key))[..16]);
    }
}
