using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Turumba.Platform.Security;

/// <summary>
/// Encrypts each Data Protection key's XML with AES-256-GCM under the key-encryption key from
/// configuration before it is stored in PostgreSQL. The stored element names the key-encryption key
/// by id, so a wrong or missing key is reported as such rather than as a corrupt key ring.
/// </summary>
internal sealed class KeyRingEncryptor(byte[] key, string keyId) : IXmlEncryptor
{
    public const string ElementName = "turumbaEncryptedKey";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        }

        var element = new XElement(ElementName,
            new XComment(" Encrypted with Turumba:DataProtection:KeyEncryptionKey (AES-256-GCM). "),
            new XAttribute("kekId", keyId),
            new XElement("value", Convert.ToBase64String(sealedBytes)));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }

    /// <summary>Opens what <see cref="Encrypt"/> sealed; created by Data Protection with the service provider.</summary>
    internal static XElement Decrypt(XElement encryptedElement, byte[] key, string keyId)
    {
        var wanted = encryptedElement.Attribute("kekId")?.Value;
        if (!string.Equals(wanted, keyId, StringComparison.Ordinal))
        {
            throw new CryptographicException(
                $"A Data Protection key was encrypted with key-encryption key {wanted}, but Turumba:DataProtection:KeyEncryptionKey is {keyId}.");
        }

        var sealedBytes = Convert.FromBase64String(encryptedElement.Element("value")?.Value ?? throw new CryptographicException("The encrypted key has no value."));
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain);
        }

        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}

/// <summary>The decryptor Data Protection instantiates for a <see cref="KeyRingEncryptor"/> element.</summary>
internal sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var (key, id) = services.GetRequiredService<IOptions<KeyEncryptionKeyOptions>>().Value.Read()
            ?? throw new CryptographicException("The Data Protection key ring is encrypted, and Turumba:DataProtection:KeyEncryptionKey is not set.");
        return KeyRingEncryptor.Decrypt(encryptedElement, key, id);
    }
}
