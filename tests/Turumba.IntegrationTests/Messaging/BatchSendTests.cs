using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Messaging;

/// <summary><c>POST /v1/messages/batch</c> end to end: per-item results in order, idempotent items, request-level refusals, templates and suppression per item.</summary>
[TestFixture]
public sealed class BatchSendTests
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
        _services = await IsolatedServices.CreateAsync("batch");
        _app = new TurumbaApp(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _services.Postgres,
            ["ConnectionStrings:RabbitMq"] = _services.RabbitMq,
        });
        _client = await _app.CreateAccountClientAsync("batch");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Test]
    public async Task Bad_items_are_rejected_alone_in_order_and_the_good_ones_are_stored_and_sent_once()
    {
        var (channel, token) = await CreateChannelAsync();
        var data = await PostBatchAsync(
            new { channel_id = channel, delivery_address = "7001", message_body = "first" },
            new { channel_id = Guid.NewGuid(), delivery_address = "7002", message_body = "no such channel" },
            new { channel_id = channel, delivery_address = "7003", message_body = "second" },
            new { channel_id = channel, delivery_address = "7004" },
            new { channel_id = 123, delivery_address = "7005", message_body = "wrong type" },
            new { channel_id = channel, delivery_address = "7006", message_body = "nul \u0000 inside" },
            "not an object",
            new { channel_id = channel, delivery_address = "7008", message_body = "third", scheduled_at = DateTimeOffset.UtcNow.AddDays(1) });

        var results = data.GetProperty("results").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.GetProperty("index").GetInt32()), Is.EqualTo(Enumerable.Range(0, 8)));
            Assert.That(results.Select(r => r.GetProperty("result").GetString()),
                Is.EqualTo(new[] { "created", "rejected", "created", "rejected", "rejected", "rejected", "rejected", "created" }));
            Assert.That(results.Select(r => r.TryGetProperty("error", out var e) ? e.GetString() : null),
                Is.EqualTo(new[] { null, "validation_error", null, "validation_error", "bad_request", "validation_error", "bad_request", null }));
            Assert.That(Fields(results[1]), Is.EqualTo(new[] { "channel_id" }));
            Assert.That(Fields(results[3]), Is.EqualTo(new[] { "message_body" }));
            Assert.That(results[4].GetProperty("message").GetString(), Does.StartWith("'channel_id' must be a UUID"));
            Assert.That(Fields(results[5]), Is.EqualTo(new[] { "message_body" }));
            Assert.That(results[0].GetProperty("status").GetString(), Is.EqualTo("queued"));
            Assert.That(results[7].GetProperty("status").GetString(), Is.EqualTo("scheduled"));
            Assert.That(data.GetProperty("created").GetInt32(), Is.EqualTo(3));
            Assert.That(data.GetProperty("rejected").GetInt32(), Is.EqualTo(5));
        });

        var first = await WaitForStatusAsync(results[0].GetProperty("id").GetGuid(), "sent");
        await WaitForStatusAsync(results[2].GetProperty("id").GetGuid(), "sent");
        await WaitForStatusAsync(await SendAsync(channel, "7999", "marker"), "sent");
        var texts = _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).Select(r => r.Parameters["text"]!.ToString()).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(first.GetProperty("delivery_address").GetString(), Is.EqualTo("7001"));
            Assert.That(texts.Order(), Is.EqualTo(new[] { "first", "marker", "second" }), "each good item sent once; the scheduled one waits");
            Assert.That(await MessagesOfChannelAsync(channel), Is.EqualTo(4), "three items and the marker");
        });
    }

    [Test]
    public async Task An_item_repeating_its_idempotency_key_is_answered_with_the_first_message_and_sent_once()
    {
        var (channel, token) = await CreateChannelAsync();
        var prefix = Guid.NewGuid().ToString("N");
        var once = new { channel_id = channel, delivery_address = "7101", message_body = "once", idempotency_key = prefix + "-a" };

        var first = (await PostBatchAsync(once, new { channel_id = channel, delivery_address = "7102", message_body = "b", idempotency_key = prefix + "-b" }))
            .GetProperty("results").EnumerateArray().ToList();
        var again = (await PostBatchAsync(
                once,
                new { channel_id = channel, delivery_address = "7102", message_body = "b changed", idempotency_key = prefix + "-b" },
                new { channel_id = channel, delivery_address = "7103", message_body = "c", idempotency_key = prefix + "-c" },
                new { channel_id = channel, delivery_address = "7104", message_body = "c twice", idempotency_key = prefix + "-c" }))
            .GetProperty("results").EnumerateArray().ToList();

        await WaitForStatusAsync(first[0].GetProperty("id").GetGuid(), "sent");
        await WaitForStatusAsync(again[2].GetProperty("id").GetGuid(), "sent");
        await WaitForStatusAsync(await SendAsync(channel, "7199", "marker"), "sent");
        var texts = _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).Select(r => r.Parameters["text"]!.ToString()).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(first.Select(r => r.GetProperty("replayed").GetBoolean()), Is.EqualTo(new[] { false, false }));
            Assert.That(again[0].GetProperty("result").GetString(), Is.EqualTo("created"));
            Assert.That(again[0].GetProperty("id").GetGuid(), Is.EqualTo(first[0].GetProperty("id").GetGuid()), "the original message");
            Assert.That(again[0].GetProperty("status").GetString(), Is.EqualTo("queued"));
            Assert.That(again[0].GetProperty("replayed").GetBoolean(), Is.True);
            Assert.That(again[1].GetProperty("error").GetString(), Is.EqualTo("validation_error"), "the same key with another item");
            Assert.That(Fields(again[1]), Is.EqualTo(new[] { "idempotency_key" }));
            Assert.That(again[2].GetProperty("replayed").GetBoolean(), Is.False);
            Assert.That(Fields(again[3]), Is.EqualTo(new[] { "idempotency_key" }), "a key twice in one batch");
            Assert.That(texts.Order(), Is.EqualTo(new[] { "b", "c", "marker", "once" }));
            Assert.That(await MessagesOfChannelAsync(channel), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task An_idempotency_key_header_replays_the_whole_answer()
    {
        var (channel, token) = await CreateChannelAsync();
        var key = Guid.NewGuid().ToString();
        var answers = new List<JsonElement>();
        var replayed = new List<string?>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages/batch")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { messages = new object[]
                {
                    new { channel_id = channel, delivery_address = "7151", message_body = "whole once" },
                    new { channel_id = channel, delivery_address = "7152" },
                } }), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await _client.SendAsync(request);
            replayed.Add(response.Headers.TryGetValues("Idempotent-Replayed", out var values) ? values.Single() : null);
            answers.Add((await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("data"));
        }

        await WaitForStatusAsync(answers[0].GetProperty("results")[0].GetProperty("id").GetGuid(), "sent");
        await WaitForStatusAsync(await SendAsync(channel, "7159", "marker"), "sent");
        Assert.Multiple(async () =>
        {
            Assert.That(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(answers[1].GetRawText()), System.Text.Json.Nodes.JsonNode.Parse(answers[0].GetRawText())), Is.True,
                "the stored answer (jsonb: same content, its own key order)");
            Assert.That(replayed, Is.EqualTo(new[] { null, "true" }));
            Assert.That(answers[0].GetProperty("results")[1].GetProperty("result").GetString(), Is.EqualTo("rejected"));
            Assert.That(_simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token && r.Parameters["text"]!.ToString() == "whole once"), Is.EqualTo(1));
            Assert.That(await MessagesOfChannelAsync(channel), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_batch_refused_as_a_whole_stores_nothing()
    {
        var (channel, _) = await CreateChannelAsync();
        var item = new { channel_id = channel, delivery_address = "7201", message_body = "x" };

        var tooMany = await (await _client.PostJsonAsync("/v1/messages/batch", new { messages = Enumerable.Repeat(item, 1001) }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        await (await _client.PostJsonAsync("/v1/messages/batch", new { messages = Array.Empty<object>() })).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        await (await _client.PostJsonAsync("/v1/messages/batch", new { })).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
        await (await _client.PostJsonAsync("/v1/messages/batch", new { messages = new[] { item }, extra = 1 })).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await _client.PostJsonAsync("/v1/messages/batch", new { messages = "all of them" })).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await _client.PostJsonAsync("/v1/messages/batch", new[] { item })).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        using (var broken = new StringContent("{\"messages\": [{\"channel_id\": ", Encoding.UTF8, "application/json"))
        {
            await (await _client.PostAsync("/v1/messages/batch", broken)).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        }

        using (var text = new StringContent("messages", Encoding.UTF8, "text/plain"))
        {
            await (await _client.PostAsync("/v1/messages/batch", text)).ExpectErrorAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        }

        var big = new { channel_id = channel, delivery_address = "7202", message_body = new string('x', 9_000) };
        using (var tooLarge = new StringContent(JsonSerializer.Serialize(new { messages = Enumerable.Repeat(big, 1000) }), Encoding.UTF8, "application/json"))
        {
            var error = await (await _client.PostAsync("/v1/messages/batch", tooLarge)).ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
            Assert.That(error.GetProperty("message").GetString(), Does.Contain("8388608"));
        }

        Assert.Multiple(async () =>
        {
            Assert.That(tooMany.GetProperty("message").GetString(), Does.Contain("at most 1000"));
            Assert.That(await MessagesOfChannelAsync(channel), Is.Zero);
        });
    }

    [Test]
    public async Task Templates_are_rendered_per_item_for_each_contact()
    {
        var (channel, token) = await CreateChannelAsync();
        var hanna = await CreateContactAsync("Hanna", "7301");
        var dawit = await CreateContactAsync("Dawit", "7302");
        var template = (await (await _client.PostJsonAsync("/v1/templates", new { name = "code " + Guid.NewGuid().ToString("N")[..6], body = "Hi {FIRST_NAME}, code {CODE}", fallback_strategy = "skip_contact" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        var results = (await PostBatchAsync(
                new { channel_id = channel, contact_id = hanna, template_id = template, custom_values = new Dictionary<string, string> { ["code"] = "11" } },
                new { channel_id = channel, contact_id = dawit, template_id = template, custom_values = new Dictionary<string, string> { ["code"] = "22" } },
                new { channel_id = channel, contact_id = dawit, template_id = template }))
            .GetProperty("results").EnumerateArray().ToList();

        var first = await WaitForStatusAsync(results[0].GetProperty("id").GetGuid(), "sent");
        var second = await WaitForStatusAsync(results[1].GetProperty("id").GetGuid(), "sent");
        var sends = _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token)
            .ToDictionary(r => r.Parameters["chat_id"]!.ToString(), r => r.Parameters["text"]!.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("message_body").GetString(), Is.EqualTo("Hi Hanna, code 11"));
            Assert.That(second.GetProperty("message_body").GetString(), Is.EqualTo("Hi Dawit, code 22"));
            Assert.That(sends, Is.EqualTo(new Dictionary<string, string> { ["7301"] = "Hi Hanna, code 11", ["7302"] = "Hi Dawit, code 22" }));
            Assert.That(results[2].GetProperty("result").GetString(), Is.EqualTo("rejected"), "skip_contact without the code");
            Assert.That(Fields(results[2]), Is.EqualTo(new[] { "template_id" }));
        });
    }

    [Test]
    public async Task A_suppressed_item_fails_as_a_single_send_would_and_the_others_are_sent()
    {
        var (channel, token) = await CreateChannelAsync();
        await (await _client.PostJsonAsync("/v1/suppressions", new { address = "7402", channel_type = "telegram" })).ExpectAsync(HttpStatusCode.Created);

        var results = (await PostBatchAsync(
                new { channel_id = channel, delivery_address = "7401", message_body = "to 7401" },
                new { channel_id = channel, delivery_address = "7402", message_body = "to 7402" },
                new { channel_id = channel, delivery_address = "7403", message_body = "to 7403" }))
            .GetProperty("results").EnumerateArray().ToList();

        var suppressed = await WaitForStatusAsync(results[1].GetProperty("id").GetGuid(), "failed");
        await WaitForStatusAsync(results[0].GetProperty("id").GetGuid(), "sent");
        await WaitForStatusAsync(results[2].GetProperty("id").GetGuid(), "sent");
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.GetProperty("result").GetString()), Is.All.EqualTo("created"));
            Assert.That(suppressed.GetProperty("error_details").GetProperty("code").GetString(), Is.EqualTo("suppressed"));
            Assert.That(_simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).Select(r => r.Parameters["chat_id"]!.ToString()).Order(),
                Is.EqualTo(new[] { "7401", "7403" }), "no provider call for the suppressed chat");
        });
    }

    private async Task<JsonElement> PostBatchAsync(params object[] items) =>
        (await (await _client.PostJsonAsync("/v1/messages/batch", new { messages = items })).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

    private static List<string?> Fields(JsonElement result) =>
        result.GetProperty("details").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();

    private async Task<(Guid Channel, string Token)> CreateChannelAsync()
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var id = (await (await _client.PostJsonAsync("/v1/channels", new
        {
            name = "bot " + token[..6],
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = _simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        return (id, token);
    }

    private async Task<Guid> CreateContactAsync(string firstName, string chat) =>
        (await (await _client.PostJsonAsync("/v1/contacts", new
        {
            first_name = firstName,
            phone = $"+2519119{Random.Shared.Next(10_000, 99_999)}",
            addresses = new Dictionary<string, string> { ["telegram"] = chat },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

    private async Task<Guid> SendAsync(Guid channel, string chat, string text) =>
        (await (await _client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = chat, message_body = text }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

    private async Task<long> MessagesOfChannelAsync(Guid channel)
    {
        await using var connection = new NpgsqlConnection(_services.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from messaging.messages where channel_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = channel });
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
