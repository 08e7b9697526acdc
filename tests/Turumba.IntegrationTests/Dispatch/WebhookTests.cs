using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Contracts;
using Turumba.Messaging;
using Turumba.Messaging.Messages.Store;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Dispatch;

/// <summary>Closing the loop: Telegram webhooks → webhook.inbound → inbound messages; receipts → message.status.update.</summary>
[TestFixture]
public sealed class WebhookTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private SimulatorHost _simulator = null!;
    private TurumbaApp _app = null!;
    private HttpClient _client = null!;
    private HttpClient _provider = null!;
    private IsolatedServices _services = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _simulator = await SimulatorHost.StartAsync();
        _services = await IsolatedServices.CreateAsync("webhooks");
        _app = new TurumbaApp(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _services.Postgres,
            ["ConnectionStrings:RabbitMq"] = _services.RabbitMq,
            ["Turumba:Webhooks:BaseUrl"] = "https://hooks.turumba.test",
        });
        _client = await _app.CreateAccountClientAsync("webhooks");
        _provider = _app.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        _provider.Dispose();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Test]
    public async Task Telegram_update_becomes_an_inbound_message_linked_to_its_contact_once()
    {
        var (channel, token) = await CreateChannelAsync();
        var contact = (await (await _client.PostJsonAsync("/v1/contacts", new { first_name = "Meron", addresses = new Dictionary<string, string> { ["telegram"] = "5551234" } }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var update = _simulator.Telegram.TextUpdate(5551234, "Is my order ready?", "Meron");

        await (await PostUpdateAsync(channel, token, update)).ExpectAsync(HttpStatusCode.OK);
        var inbound = await WaitForInboundAsync(channel, 1);
        await (await PostUpdateAsync(channel, token, update)).ExpectAsync(HttpStatusCode.OK);
        await (await PostUpdateAsync(channel, token, _simulator.Telegram.TextUpdate(5551234, "Hello?", "Meron"))).ExpectAsync(HttpStatusCode.OK);
        await WaitForInboundAsync(channel, 2);

        Assert.Multiple(() =>
        {
            Assert.That(inbound[0].GetProperty("status").GetString(), Is.EqualTo("delivered"));
            Assert.That(inbound[0].GetProperty("message_body").GetString(), Is.EqualTo("Is my order ready?"));
            Assert.That(inbound[0].GetProperty("contact_id").GetGuid(), Is.EqualTo(contact));
            Assert.That(inbound[0].GetProperty("delivery_address").GetString(), Is.EqualTo("5551234"));
            Assert.That(inbound[0].GetProperty("metadata").GetProperty("sender_name").GetString(), Is.EqualTo("Meron"));
        });
    }

    [Test]
    public async Task Inbound_text_holding_NUL_is_stored_with_the_NUL_removed()
    {
        var (channel, token) = await CreateChannelAsync();

        await (await PostUpdateAsync(channel, token, _simulator.Telegram.TextUpdate(5557001, "is\u0000it\u0000 here?", "Me\u0000ron"))).ExpectAsync(HttpStatusCode.OK);
        var inbound = await WaitForInboundAsync(channel, 1);

        Assert.That(inbound[0].GetProperty("message_body").GetString(), Is.EqualTo("isit here?"));
    }

    [Test]
    public async Task Wrong_secret_is_401_and_stores_nothing()
    {
        var (channel, token) = await CreateChannelAsync();

        var refused = await (await PostUpdateAsync(channel, token, _simulator.Telegram.TextUpdate(1, "forged"), secret: "guess"))
            .ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await PostUpdateAsync(channel, token, _simulator.Telegram.TextUpdate(1, "genuine"))).ExpectAsync(HttpStatusCode.OK);
        var inbound = await WaitForInboundAsync(channel, 1);

        Assert.That(refused.GetProperty("message").GetString(), Does.Contain("signature"));
        Assert.That(inbound.Select(m => m.GetProperty("message_body").GetString()), Is.EqualTo(new[] { "genuine" }));
    }

    [Test]
    public async Task Unknown_channel_is_404_and_a_malformed_body_is_400()
    {
        var (channel, token) = await CreateChannelAsync();
        var secret = _simulator.Telegram.WebhookOf(token)!.Value.Secret!;

        using var unknown = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{Guid.NewGuid()}") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        await (await _provider.SendAsync(unknown)).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        using var wrongType = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/whatsapp/{channel}") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        await (await _provider.SendAsync(wrongType)).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        using var malformed = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{channel}") { Content = new StringContent("{\"message\": 42}", Encoding.UTF8, "application/json") };
        malformed.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        await (await _provider.SendAsync(malformed)).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Test]
    public async Task Delivery_receipt_marks_a_sent_message_delivered()
    {
        var (channel, _) = await CreateChannelAsync();
        var id = (await (await _client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "42", message_body = "receipt please" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var sent = await WaitForStatusAsync(id, "sent");
        var providerId = sent.GetProperty("metadata").GetProperty("provider_message_id").GetString()!;

        var deliveredAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        await _app.Services.GetRequiredService<IBus>().Publish(new ProviderStatusReported(channel, sent.GetProperty("account_id").GetGuid(), "evt-1", providerId, "delivered", deliveredAt, null, null));
        var delivered = await WaitForStatusAsync(id, "delivered");

        Assert.That(delivered.GetProperty("delivered_at").GetDateTimeOffset(), Is.EqualTo(deliveredAt).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public async Task Reports_never_move_a_message_backwards()
    {
        var account = await _app.CreateAccountAsync("receipts");
        var channel = Guid.NewGuid();
        var id = await Messaging.MessageRows.InsertAsync(account.AccountId, "sent", "1", channelId: channel, database: _services.Postgres);
        await using (var connection = new Npgsql.NpgsqlConnection(_services.Postgres))
        {
            await connection.OpenAsync();
            await using var setProvider = new Npgsql.NpgsqlCommand($"update messaging.messages set provider_message_id = 'p-{id}' where id = '{id}'", connection);
            await setProvider.ExecuteNonQueryAsync();
        }

        var store = _app.Services.GetRequiredService<MessageStore>();
        var at = DateTimeOffset.UtcNow;
        var delivered = await store.ApplyStatusReportsAsync([new StatusReport(channel, $"p-{id}", MessageStatus.Delivered, at, null, null)], default);
        var lateSent = await store.ApplyStatusReportsAsync([new StatusReport(channel, $"p-{id}", MessageStatus.Sent, at, null, null)], default);
        var lateFailure = await store.ApplyStatusReportsAsync([new StatusReport(channel, $"p-{id}", MessageStatus.Failed, at, "30008", "unknown")], default);
        var read = await store.ApplyStatusReportsAsync(
            [new StatusReport(channel, $"p-{id}", MessageStatus.Delivered, at, null, null), new StatusReport(channel, $"p-{id}", MessageStatus.Read, at, null, null)], default);

        Assert.Multiple(() =>
        {
            Assert.That(delivered.Single().Status, Is.EqualTo(MessageStatus.Delivered));
            Assert.That(lateSent, Is.Empty);
            Assert.That(lateFailure, Is.Empty);
            Assert.That(read.Single().Status, Is.EqualTo(MessageStatus.Read), "the furthest report of a batch wins");
        });
    }

    [Test]
    public async Task A_receipt_that_overtakes_the_dispatchers_outcome_is_parked_and_applied_once_the_outcome_is_recorded()
    {
        var account = await _app.CreateAccountAsync("early receipts");
        var channel = Guid.NewGuid();
        var id = await Messaging.MessageRows.InsertAsync(account.AccountId, "sending", "1", channelId: channel, database: _services.Postgres);
        var deliveredAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var connection = new Npgsql.NpgsqlConnection(_services.Postgres);
        await connection.OpenAsync();
        async Task<object?> ScalarAsync(string sql)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            return await command.ExecuteScalarAsync();
        }

        // The provider's callback arrives while the message is still "sending" without the provider's id.
        await _app.Services.GetRequiredService<IBus>().Publish(new ProviderStatusReported(channel, account.AccountId, "evt-early", $"p-{id}", "delivered", deliveredAt, null, null));
        await Eventually.WaitAsync(async () => (long)(await ScalarAsync($"select count(*) from messaging.early_receipts where provider_message_id = 'p-{id}'"))! == 1,
            Deadline, "the early receipt is parked");
        Assert.That(await ScalarAsync($"select status from messaging.messages where id = '{id}'"), Is.EqualTo("sending"));

        // Then the dispatcher records the outcome, as its round statement does.
        await using (var record = new Npgsql.NpgsqlCommand($"update messaging.messages set status = 'sent', sent_at = now(), provider_message_id = 'p-{id}' where id = '{id}'", connection))
        {
            await record.ExecuteNonQueryAsync();
        }

        await Eventually.WaitAsync(async () => (string?)await ScalarAsync($"select status from messaging.messages where id = '{id}'") == "delivered",
            Deadline, "the parked receipt is applied");
        await Eventually.WaitAsync(async () => (long)(await ScalarAsync($"select count(*) from messaging.early_receipts where provider_message_id = 'p-{id}'"))! == 0,
            Deadline, "the applied receipt is deleted");
        var at = (DateTime)(await ScalarAsync($"select delivered_at from messaging.messages where id = '{id}'"))!;
        Assert.That(at, Is.EqualTo(deliveredAt.UtcDateTime).Within(TimeSpan.FromMilliseconds(1)), "the provider's time, not the time it was applied");
    }

    private async Task<HttpResponseMessage> PostUpdateAsync(Guid channel, string token, JsonObject update, string? secret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{channel}")
        {
            Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret ?? _simulator.Telegram.WebhookOf(token)!.Value.Secret);
        return await _provider.SendAsync(request);
    }

    private async Task<(Guid Channel, string Token)> CreateChannelAsync()
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var id = (await (await _client.PostJsonAsync("/v1/channels", new
        {
            name = "hook " + token[..6],
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = _simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        return (id, token);
    }

    private async Task<List<JsonElement>> WaitForInboundAsync(Guid channel, int count)
    {
        List<JsonElement> messages = [];
        await Eventually.WaitAsync(async () =>
        {
            var body = await (await _client.GetAsync($"/v1/messages?filter=channel_id:eq:{channel}&filter=direction:eq:inbound&sort=created_at:asc")).ExpectAsync(HttpStatusCode.OK);
            messages = body.GetProperty("data").EnumerateArray().ToList();
            return messages.Count >= count;
        }, Deadline, $"{count} inbound message(s)");
        Assert.That(messages, Has.Count.EqualTo(count));
        return messages;
    }

    private async Task<JsonElement> WaitForStatusAsync(Guid id, string status)
    {
        JsonElement message = default;
        await Eventually.WaitAsync(async () =>
        {
            message = (await (await _client.GetAsync($"/v1/messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
            return message.GetProperty("status").GetString() == status;
        }, Deadline, $"message {id} to be {status}");
        return message;
    }
}
