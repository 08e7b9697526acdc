using System.Net;
using Npgsql;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Channels;

/// <summary>With a key-encryption key, the Data Protection key ring PostgreSQL holds is encrypted, and channel credentials still work.</summary>
[TestFixture]
public sealed class KeyRingEncryptionTests
{
    [Test]
    public async Task The_stored_key_ring_is_encrypted_and_a_channel_created_with_it_still_sends()
    {
        await using var simulator = await SimulatorHost.StartAsync();
        await using var services = await IsolatedServices.CreateAsync("keyring");
        var settings = services.Settings;
        settings["Turumba:DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var app = new TurumbaApp(settings: settings);
        using var client = await app.CreateAccountClientAsync("keyring");
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var channel = (await (await client.PostJsonAsync("/v1/channels", new
        {
            name = "encrypted ring", channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        await (await client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "4244", message_body = "still readable" }))
            .ExpectAsync(HttpStatusCode.Created);
        await Eventually.WaitAsync(() => Task.FromResult(simulator.Telegram.RequestsFor("sendMessage").Any(r => r.Token == token)), TimeSpan.FromSeconds(60),
            "the message to be sent with the decrypted token");

        var rings = new List<string>();
        await using var connection = new NpgsqlConnection(services.Postgres);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand("select xml from platform.data_protection_keys", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rings.Add(reader.GetString(0));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(rings, Is.Not.Empty);
            Assert.That(rings, Has.All.Contain("turumbaEncryptedKey"));
            Assert.That(rings, Has.None.Contain("<masterKey"), "no key in the clear");
        });
    }
}
