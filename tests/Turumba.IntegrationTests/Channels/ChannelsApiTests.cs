using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turumba.Channels;
using Turumba.Platform.Redis.RateLimiting;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Channels;

[TestFixture]
public sealed class ChannelsApiTests
{
    private const string WebhookBase = "https://hooks.turumba.test";
    private SimulatorHost _simulator = null!;
    private TurumbaApp _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _simulator = await SimulatorHost.StartAsync();
        _app = new TurumbaApp(settings: new Dictionary<string, string?> { ["Turumba:Webhooks:BaseUrl"] = WebhookBase, ["Turumba:RateLimits:TenantPerMinute"] = "1000" });
        _client = await _app.CreateAccountClientAsync("channels");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Test]
    public async Task Telegram_channel_is_verified_registered_masked_and_encrypted()
    {
        var token = NewToken();

        var created = (await (await _client.PostJsonAsync("/v1/channels", TelegramChannel("Support bot", token))).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var id = created.GetProperty("id").GetGuid();
        var webhook = _simulator.Telegram.WebhookOf(token);

        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("status").GetString(), Is.EqualTo("connected"));
            Assert.That(created.GetProperty("last_verified_at").ValueKind, Is.EqualTo(JsonValueKind.String));
            Assert.That(created.GetProperty("credentials").GetProperty("bot_token").GetString(), Is.EqualTo(token[..3] + "****" + token[^4..]));
            Assert.That(created.GetProperty("credentials").TryGetProperty("webhook_secret", out _), Is.False);
            Assert.That(created.GetProperty("webhook_url").GetString(), Is.EqualTo($"{WebhookBase}/webhooks/telegram/{id}"));
            Assert.That(webhook?.Url, Is.EqualTo($"{WebhookBase}/webhooks/telegram/{id}"));
            Assert.That(webhook?.Secret, Has.Length.GreaterThanOrEqualTo(32));
            Assert.That(_simulator.Telegram.RequestsFor("getMe").Count(r => r.Token == token), Is.EqualTo(1));
        });

        var stored = await ReadEncryptedCredentialsAsync(id);
        Assert.That(stored, Does.Not.Contain(token).And.Not.Contain(webhook!.Value.Secret!));
        Assert.That(_app.Logs.Lines, Has.None.Contains(token[(token.IndexOf(':') + 1)..]), "the token is never logged");
    }

    [Test]
    public async Task Refused_token_leaves_the_channel_in_error_with_the_reason()
    {
        var token = NewToken();
        _simulator.Telegram.Faults.RejectToken(token);

        var created = (await (await _client.PostJsonAsync("/v1/channels", TelegramChannel("Bad bot", token))).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("status").GetString(), Is.EqualTo("error"));
            Assert.That(created.GetProperty("error_message").GetString(), Does.Contain("refused"));
            Assert.That(_simulator.Telegram.WebhookOf(token), Is.Null);
        });
    }

    [Test]
    public async Task Verification_can_be_skipped()
    {
        var token = NewToken();

        var created = (await (await _client.PostJsonAsync("/v1/channels?verify=false", TelegramChannel("Later", token))).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");

        Assert.That(created.GetProperty("status").GetString(), Is.EqualTo("disconnected"));
        Assert.That(_simulator.Telegram.Requests.Where(r => r.Token == token), Is.Empty);
    }

    [Test]
    public async Task Update_disable_enable_and_delete()
    {
        var token = NewToken();
        var id = (await (await _client.PostJsonAsync("/v1/channels", TelegramChannel("Ops", token))).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();

        var renamed = (await (await _client.PatchJsonAsync($"/v1/channels/{id}", new { name = "Ops bot", rate_limit = 120 })).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var disabled = (await (await _client.PatchJsonAsync($"/v1/channels/{id}", new { is_enabled = false })).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var enabled = (await (await _client.PatchJsonAsync($"/v1/channels/{id}", new { is_enabled = true })).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        var newToken = NewToken();
        var rotated = (await (await _client.PatchJsonAsync($"/v1/channels/{id}", new { credentials = new Dictionary<string, string> { ["bot_token"] = newToken } }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(renamed.GetProperty("name").GetString(), Is.EqualTo("Ops bot"));
            Assert.That(renamed.GetProperty("rate_limit").GetInt32(), Is.EqualTo(120));
            Assert.That(renamed.GetProperty("status").GetString(), Is.EqualTo("connected"), "a rename does not re-verify");
            Assert.That(disabled.GetProperty("status").GetString(), Is.EqualTo("disabled"));
            Assert.That(enabled.GetProperty("status").GetString(), Is.EqualTo("connected"));
            Assert.That(rotated.GetProperty("credentials").GetProperty("api_base_url").GetString(), Is.EqualTo(_simulator.BaseUrl.ToString()), "other credentials are kept");
            Assert.That(_simulator.Telegram.WebhookOf(newToken), Is.Not.Null, "new credentials are verified and registered");
        });

        Assert.That((await _client.DeleteAsync($"/v1/channels/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await _client.GetAsync($"/v1/channels/{id}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task Missing_bot_token_is_a_422_naming_the_field()
    {
        var body = await (await _client.PostJsonAsync("/v1/channels", new { name = "x", channel_type = "telegram", credentials = new Dictionary<string, string>() }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        await (await _client.PostJsonAsync("/v1/channels", new { name = "x", channel_type = "fax", credentials = new Dictionary<string, string>() }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var sms = await (await _client.PostJsonAsync("/v1/channels", new { name = "x", channel_type = "sms", credentials = new Dictionary<string, string> { ["account_sid"] = "AC1" } }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");

        Assert.Multiple(() =>
        {
            Assert.That(Fields(body), Does.Contain("credentials.bot_token"));
            Assert.That(Fields(sms), Does.Contain("credentials.auth_token"));
            Assert.That(Fields(sms), Does.Contain("credentials.from_number"), "from_number or messaging_service_sid");
        });
    }

    [Test]
    public async Task Channels_are_private_to_their_account_and_filterable()
    {
        var id = (await (await _client.PostJsonAsync("/v1/channels?verify=false", TelegramChannel("Mine", NewToken()))).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        using var other = await _app.CreateAccountClientAsync("other");

        await (await other.GetAsync($"/v1/channels/{id}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        var mine = await (await _client.GetAsync("/v1/channels?filter=channel_type:eq:telegram&filter=name:eq:Mine")).ExpectAsync(HttpStatusCode.OK);
        var theirs = await (await other.GetAsync("/v1/channels")).ExpectAsync(HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(mine.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()), Does.Contain(id));
            Assert.That(theirs.GetProperty("meta").GetProperty("total").GetInt64(), Is.Zero);
        });
        await (await _client.GetAsync("/v1/channels?filter=status:eq:sleeping")).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Test]
    public async Task Channel_shows_its_rate_limit_usage_and_a_provider_pause()
    {
        var id = (await (await _client.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "limited", channel_type = "telegram", rate_limit = 5,
            credentials = new Dictionary<string, string> { ["bot_token"] = NewToken() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var limiter = _app.Services.GetRequiredService<Turumba.Platform.Redis.RateLimiting.RedisRateLimiter>();
        RateLimit[] limits = [RateLimit.PerMinute(ChannelRateLimits.ChannelKey(id), 5)];
        await limiter.TryAcquireAsync(Turumba.Channels.ChannelRateLimits.PauseKey(id), limits);
        await limiter.TryAcquireAsync(Turumba.Channels.ChannelRateLimits.PauseKey(id), limits);
        await limiter.PauseAsync(Turumba.Channels.ChannelRateLimits.PauseKey(id), TimeSpan.FromSeconds(30));

        var usage = (await (await _client.GetAsync($"/v1/channels/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetProperty("rate_limit_usage");

        Assert.Multiple(() =>
        {
            Assert.That(usage.GetProperty("limit").GetInt32(), Is.EqualTo(5));
            Assert.That(usage.GetProperty("used").GetInt32(), Is.EqualTo(2));
            Assert.That(usage.GetProperty("remaining").GetInt32(), Is.EqualTo(3));
            Assert.That(usage.GetProperty("reset_in_seconds").GetDouble(), Is.GreaterThan(0).And.LessThanOrEqualTo(60));
            Assert.That(usage.GetProperty("paused_for_seconds").GetDouble(), Is.GreaterThan(0).And.LessThanOrEqualTo(30));
            Assert.That(usage.GetProperty("windows").EnumerateArray().Select(w => (w.GetProperty("scope").GetString(), w.GetProperty("limit").GetInt32(), w.GetProperty("used").GetInt32())),
                Is.EquivalentTo(new[] { ("channel", 5, 2), ("tenant", 1000, 0) }), "the tenant window of this fresh account holds nothing yet");
        });
    }

    [Test]
    public async Task Adapters_are_listed()
    {
        var adapters = (await (await _client.GetAsync("/v1/channels/adapters")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.That(adapters.EnumerateArray().Select(a => (a.GetProperty("channel_type").GetString(), a.GetProperty("is_default").GetBoolean())),
            Does.Contain(("telegram", true)));
    }

    [Test]
    public async Task Channel_without_an_adapter_is_refused_listing_the_available_ones()
    {
        var unknownProvider = await (await _client.PostJsonAsync("/v1/channels", new
        {
            name = "Vonage",
            channel_type = "sms",
            credentials = new Dictionary<string, string> { ["provider"] = "vonage", ["api_key"] = "k", ["api_secret"] = "s" },
        })).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");

        var errors = unknownProvider.GetProperty("details").GetProperty("errors").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(e => e.GetProperty("field").GetString()), Is.EqualTo(new[] { "credentials.provider" }));
            Assert.That(errors[0].GetProperty("message").GetString(), Does.Contain("vonage").And.Contain("telegram (telegram, the default)"));
        });
    }

    private object TelegramChannel(string name, string token) => new
    {
        name,
        channel_type = "telegram",
        credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = _simulator.BaseUrl.ToString() },
    };

    [Test]
    public async Task Rate_limited_channel_is_connected_again_when_its_pause_ends_even_with_nothing_to_send()
    {
        var limiter = _app.Services.GetRequiredService<RedisRateLimiter>();
        var ids = new List<Guid>();
        foreach (var name in new[] { "resting", "still paused" })
        {
            ids.Add((await (await _client.PostJsonAsync("/v1/channels?verify=false", new
            {
                name,
                channel_type = "telegram",
                credentials = new Dictionary<string, string> { ["bot_token"] = NewToken(), ["api_base_url"] = _simulator.BaseUrl.ToString() },
            })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid());
        }

        await limiter.PauseAsync(ChannelRateLimits.PauseKey(ids[1]), TimeSpan.FromMinutes(5));
        await using (var connection = new NpgsqlConnection(TestServices.Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("update channels.channels set status = 'rate_limited' where id = any($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
            await command.ExecuteNonQueryAsync();
        }

        await Eventually.WaitAsync(async () => await StatusAsync(ids[0]) == "connected", TimeSpan.FromSeconds(30), "the channel without a pause to be connected");

        Assert.That(await StatusAsync(ids[1]), Is.EqualTo("rate_limited"), "a channel still paused stays rate_limited");
    }

    [Test]
    public async Task Sends_to_a_channel_whose_provider_has_no_adapter_are_refused_when_made()
    {
        var id = (await (await _client.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "orphaned",
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = NewToken(), ["api_base_url"] = _simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        // As a channel saved before its provider's adapter was removed: the API no longer creates one like it.
        await using (var connection = new NpgsqlConnection(TestServices.Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("update channels.channels set provider = 'retired' where id = $1", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            await command.ExecuteNonQueryAsync();
        }

        var single = await (await _client.PostJsonAsync("/v1/messages", new { channel_id = id, delivery_address = "5551234", message_body = "hi" }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var group = await (await _client.PostJsonAsync("/v1/group-messages", new { channel_id = id, contact_group_ids = new[] { Guid.NewGuid() }, message_body = "hi", status = "queued" }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var scheduled = await (await _client.PostJsonAsync("/v1/scheduled-messages", new
        {
            channel_id = id, send_type = "single", delivery_address = "5551234", message_body = "hi", scheduled_at = DateTimeOffset.UtcNow.AddHours(1),
        })).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        var messages = await (await _client.GetAsync($"/v1/messages?filter=channel_id:eq:{id}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            foreach (var error in new[] { single, group, scheduled })
            {
                Assert.That(Fields(error), Is.EqualTo(new[] { "channel_id" }));
                Assert.That(error.GetProperty("message").GetString(),
                    Does.Contain("No adapter sends telegram messages through provider 'retired'").And.Contain("Available: ").And.Contain("telegram (telegram, the default)"));
            }

            Assert.That(messages.GetProperty("meta").GetProperty("total").GetInt64(), Is.Zero, "nothing was queued");
        });
    }

    private async Task<string?> StatusAsync(Guid id) =>
        (await (await _client.GetAsync($"/v1/channels/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetProperty("status").GetString();

    private static string NewToken() => $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";

    private static IEnumerable<string?> Fields(JsonElement error) =>
        error.GetProperty("details").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString());

    private static async Task<string> ReadEncryptedCredentialsAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(TestServices.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select encrypted_credentials from channels.channels where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
