using System.Security.Cryptography;
using System.Xml.Linq;
using Turumba.Platform.Security;

namespace Turumba.UnitTests.Platform;

public sealed class KeyRingEncryptorTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly XElement MasterKey = XElement.Parse("<descriptor><masterKey><value>c2VjcmV0LW1hc3Rlci1rZXk=</value></masterKey></descriptor>");

    [Test]
    public void What_it_encrypts_holds_nothing_of_the_key_and_decrypts_back()
    {
        var encrypted = new KeyRingEncryptor(Key, "kek1").Encrypt(MasterKey);

        Assert.Multiple(() =>
        {
            Assert.That(encrypted.EncryptedElement.ToString(), Does.Not.Contain("c2VjcmV0LW1hc3Rlci1rZXk=").And.Not.Contain("masterKey"));
            Assert.That(encrypted.DecryptorType, Is.EqualTo(typeof(KeyRingDecryptor)));
            Assert.That(XNode.DeepEquals(KeyRingEncryptor.Decrypt(encrypted.EncryptedElement, Key, "kek1"), MasterKey), Is.True);
        });
    }

    [Test]
    public void Another_key_encryption_key_is_named_in_the_error()
    {
        var encrypted = new KeyRingEncryptor(Key, "kek1").Encrypt(MasterKey).EncryptedElement;

        var error = Assert.Throws<CryptographicException>(() => KeyRingEncryptor.Decrypt(encrypted, RandomNumberGenerator.GetBytes(32), "kek2"));
        Assert.That(error!.Message, Does.Contain("kek1").And.Contain("kek2"));
    }

    [Test]
    public void An_altered_ciphertext_is_refused()
    {
        var encrypted = new KeyRingEncryptor(Key, "kek1").Encrypt(MasterKey).EncryptedElement;
        var value = Convert.FromBase64String(encrypted.Element("value")!.Value);
        value[^1] ^= 1;
        encrypted.Element("value")!.Value = Convert.ToBase64String(value);

        Assert.Throws<AuthenticationTagMismatchException>(() => KeyRingEncryptor.Decrypt(encrypted, Key, "kek1"));
    }

    [TestCase(null, true)]
    [TestCase("dHVydW1iYS1iZW5jaG1hcmtzLWtleS1lbmNyeXB0aW8=", true)]
    [TestCase("c2hvcnQ=", false)]
    [TestCase("not base64!", false)]
    public void Only_32_bytes_of_base64_are_a_key(string? value, bool valid) =>
        Assert.That(KeyEncryptionKeyOptions.IsValid(value), Is.EqualTo(valid));
}
