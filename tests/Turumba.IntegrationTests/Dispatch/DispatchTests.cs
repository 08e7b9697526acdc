using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turumba.Contracts;
using Turumba.IntegrationTests.Messaging;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Dispatch;

/// <summary>Single sends end to end: API → outbox → message.dispatch.telegram → adapter → simulator.</summary>
[TestFixture]
public sealed class DispatchTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private SimulatorHost _simulator = null!;
    private TurumbaApp _app = null!;
    private HttpClient _client = null!;
    private IsolatedServices _services = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _simulator = await SimulatorHost.StartAsync();
        _services = await IsolatedServices.CreateAsync("dispatch");
        _app = new TurumbaApp(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _services.Postgres,
            ["ConnectionStrings:RabbitMq"] = _services.RabbitMq,
            ["Turumba:Dispatch:RetryBaseDelay"] = "00:00:00.050",
        });
        _client = await _app.CreateAccountClientAsync("dispatch");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    [SetUp]
    public void ResetSimulator() => _simulator.Telegram.Faults.Reset();

    [Test]
    public async Task Message_is_sent_once_with_the_right_chat_and_text()
    {
        var (channel, token) = await CreateChannelAsync();

        var id = await SendAsync(channel, "123456", "Selam!");
        var message = await WaitForStatusAsync(id, "sent");

        var sends = _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sends, Has.Count.EqualTo(1));
            Assert.That(sends[0].Parameters["chat_id"]!.ToString(), Is.EqualTo("123456"));
            Assert.That(sends[0].Parameters["text"]!.ToString(), Is.EqualTo("Selam!"));
            Assert.That(message.GetProperty("metadata").GetProperty("provider_message_id").GetString(), Does.StartWith("123456:"));
            Assert.That(message.GetProperty("sent_at").ValueKind, Is.EqualTo(JsonValueKind.String));
        });
        var counted = new System.Text.RegularExpressions.Regex("turumba_dispatch_messages_total\\{[^}]*channel_type=\"telegram\"[^}]*status=\"sent\"");
        await Eventually.WaitAsync(async () => counted.IsMatch(await (await _client.GetAsync("/metrics")).Content.ReadAsStringAsync()),
            Deadline, "the dispatch counter at /metrics");
    }

    [Test]
    public async Task Two_provider_failures_are_retried_then_sent()
    {
        var (channel, token) = await CreateChannelAsync();
        _simulator.Telegram.Faults.FailNext(2);

        var id = await SendAsync(channel, "200", "retry me");
        await WaitForStatusAsync(id, "sent");

        var attempts = _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).Select(r => r.StatusCode).ToList();
        Assert.That(attempts, Is.EqualTo(new[] { 502, 502, 200 }));
    }

    [Test]
    public async Task Provider_that_keeps_failing_gives_permanently_failed_after_retry_count()
    {
        var (channel, token) = await CreateChannelAsync(retryCount: 2);
        _simulator.Telegram.Faults.FailNext(100);

        var id = await SendAsync(channel, "300", "doomed");
        var message = await WaitForStatusAsync(id, "permanently_failed");
        _simulator.Telegram.Faults.Reset();

        Assert.Multiple(() =>
        {
            Assert.That(_simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token), Is.EqualTo(3), "the first try and retry_count retries");
            Assert.That(message.GetProperty("error_details").GetProperty("message").GetString(), Does.Contain("Telegram"));
        });
    }

    [Test]
    public async Task Refused_token_fails_the_message_and_puts_the_channel_in_error()
    {
        var (channel, token) = await CreateChannelAsync();
        _simulator.Telegram.Faults.RejectToken(token);

        var id = await SendAsync(channel, "401", "nope");
        await WaitForStatusAsync(id, "failed");
        var channelAfter = (await (await _client.GetAsync($"/v1/channels/{channel}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.That(channelAfter.GetProperty("status").GetString(), Is.EqualTo("error"));
        Assert.That(channelAfter.GetProperty("error_message").GetString(), Does.Contain("refused"));
    }

    [Test]
    public async Task Provider_rate_limit_is_waited_out_and_the_message_sent_once()
    {
        var (channel, token) = await CreateChannelAsync();
        _simulator.Telegram.Faults.RateLimitNext(1, 1);

        var id = await SendAsync(channel, "429", "patience");
        var message = await WaitForStatusAsync(id, "sent");

        var attempts = _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(attempts.Select(a => a.StatusCode), Is.EqualTo(new[] { 429, 200 }));
            Assert.That(attempts[1].ReceivedAt - attempts[0].ReceivedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900)));
            Assert.That(message.GetProperty("status").GetString(), Is.EqualTo("sent"));
        });
    }

    [Test]
    public async Task Duplicate_dispatch_command_sends_once()
    {
        var (channel, token) = await CreateChannelAsync();
        var id = await SendAsync(channel, "777", "only once");
        var message = await WaitForStatusAsync(id, "sent");

        var endpoint = await _app.Services.GetRequiredService<IBus>().GetSendEndpoint(DispatchQueues.AddressFor("telegram"));
        var command = new DispatchMessage(id, message.GetProperty("created_at").GetDateTimeOffset(), message.GetProperty("account_id").GetGuid(), channel, "telegram");
        await endpoint.Send(command);
        await endpoint.Send(command);
        await Eventually.WaitAsync(
            () => Task.FromResult(_app.Logs.Lines.Count(l => l.Contains($"Skipped 1 message(s) of dispatch command {id}: they are no longer queued", StringComparison.Ordinal)) == 2),
            Deadline, "both duplicates to be consumed and skipped");

        Assert.That(_simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token && r.Parameters["text"]!.ToString() == "only once"), Is.EqualTo(1));
    }

    [Test]
    public async Task Batch_command_delivered_twice_at_once_sends_each_message_once()
    {
        var (channel, token) = await CreateChannelAsync();
        _simulator.Telegram.Faults.Latency = TimeSpan.FromMilliseconds(100);
        var account = (await (await _client.GetAsync($"/v1/channels/{channel}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetProperty("account_id").GetGuid();
        var now = DateTimeOffset.UtcNow;
        var items = new List<DispatchItem>();
        for (var i = 0; i < 50; i++)
        {
            var id = await MessageRows.InsertAsync(account, "queued", $"{6_000_000 + i}", now, channel, body: $"batch {i}", database: _services.Postgres);
            items.Add(new DispatchItem(id, now));
        }

        var endpoint = await _app.Services.GetRequiredService<IBus>().GetSendEndpoint(DispatchQueues.AddressFor("telegram"));
        var command = new DispatchBatch(Guid.CreateVersion7(), account, channel, "telegram", items);
        await Task.WhenAll(endpoint.Send(command), endpoint.Send(command));
        await Eventually.WaitAsync(async () => (await MessagesInStatusAsync(items, "sent")) == 50, Deadline, "the batch to be sent");
        await Eventually.WaitAsync(
            () => Task.FromResult(_app.Logs.Lines.Any(l => l.Contains($"Skipped 50 message(s) of dispatch command {command.BatchId}: they are no longer queued", StringComparison.Ordinal))),
            Deadline, "the twin command to find nothing left to send");

        Assert.That(_simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).Select(r => r.Parameters["text"]!.ToString()),
            Is.EquivalentTo(Enumerable.Range(0, 50).Select(i => $"batch {i}")));
    }

    [Test]
    public async Task Idempotency_key_creates_and_sends_one_message()
    {
        var (channel, token) = await CreateChannelAsync();
        var key = Guid.NewGuid().ToString();

        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = JsonContent.Create(new { channel_id = channel, delivery_address = "888", message_body = "once please" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            ids.Add((await (await _client.SendAsync(request)).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid());
        }

        await WaitForStatusAsync(ids[0], "sent");
        await WaitForStatusAsync(await SendAsync(channel, "888", "marker"), "sent");
        Assert.Multiple(() =>
        {
            Assert.That(ids.Distinct().Count(), Is.EqualTo(1));
            Assert.That(_simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token && r.Parameters["text"]!.ToString() == "once please"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Template_is_rendered_for_the_contact_and_sent_to_its_address()
    {
        var (channel, token) = await CreateChannelAsync();
        var contact = (await (await _client.PostJsonAsync("/v1/contacts", new
        {
            first_name = "Hanna",
            phone = "+251911900001",
            addresses = new Dictionary<string, string> { ["telegram"] = "424242" },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var template = (await (await _client.PostJsonAsync("/v1/templates", new { name = "hi", body = "Hi {FIRST_NAME}, code {CODE}" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        var created = (await (await _client.PostJsonAsync("/v1/messages", new
        {
            channel_id = channel, contact_id = contact, template_id = template, custom_values = new Dictionary<string, string> { ["code"] = "7" },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        await WaitForStatusAsync(created.GetProperty("id").GetGuid(), "sent");

        var send = _simulator.Telegram.RequestsFor("sendMessage").Single(r => r.Token == token);
        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("message_body").GetString(), Is.EqualTo("Hi Hanna, code 7"));
            Assert.That(created.GetProperty("original_template").GetString(), Is.EqualTo("Hi {FIRST_NAME}, code {CODE}"));
            Assert.That(send.Parameters["chat_id"]!.ToString(), Is.EqualTo("424242"));
        });
    }

    [Test]
    public async Task A_message_scheduled_for_tomorrow_waits_as_scheduled_and_is_not_sent_now()
    {
        var (channel, token) = await CreateChannelAsync();

        var created = (await (await _client.PostJsonAsync("/v1/messages", new
        {
            channel_id = channel, delivery_address = "999", message_body = "later", scheduled_at = DateTimeOffset.UtcNow.AddDays(1),
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        await WaitForStatusAsync(await SendAsync(channel, "999", "marker"), "sent");

        Assert.That(created.GetProperty("status").GetString(), Is.EqualTo("scheduled"));
        Assert.That(_simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token), Is.EqualTo(1), "only the marker");
    }

    [Test]
    public async Task Bad_send_requests_are_rejected_clearly()
    {
        var (channel, _) = await CreateChannelAsync();

        await (await _client.PostJsonAsync("/v1/messages", new { channel_id = Guid.NewGuid(), delivery_address = "1", message_body = "x" }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        await (await _client.PostJsonAsync("/v1/messages", new { channel_id = channel, message_body = "x" }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        await (await _client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "1", message_body = "x", template_id = Guid.NewGuid() }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        await (await _client.PatchJsonAsync($"/v1/channels/{channel}", new { is_enabled = false })).ExpectAsync(HttpStatusCode.OK);
        await (await _client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "1", message_body = "x" }))
            .ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");
    }

    private async Task<(Guid Channel, string Token)> CreateChannelAsync(int retryCount = 3)
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var id = (await (await _client.PostJsonAsync("/v1/channels", new
        {
            name = "bot " + token[..6],
            channel_type = "telegram",
            retry_count = retryCount,
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = _simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        return (id, token);
    }

    private async Task<Guid> SendAsync(Guid channel, string chat, string text) =>
        (await (await _client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = chat, message_body = text }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

    private async Task<long> MessagesInStatusAsync(IEnumerable<DispatchItem> items, string status)
    {
        await using var connection = new NpgsqlConnection(_services.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from messaging.messages where id = any($1) and status = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => i.MessageId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = status });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<JsonElement> WaitForStatusAsync(Guid id, string status)
    {
        JsonElement message = default;
        await Eventually.WaitAsync(async () =>
        {
            message = (await (await _client.GetAsync($"/v1/messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
            return message.GetProperty("status").GetString() == status;
        }, Deadline, $"message {id} to be {status} (last seen {(message.ValueKind == JsonValueKind.Object ? message.GetProperty("status").GetString() : "nothing")})");
        return message;
    }
}
