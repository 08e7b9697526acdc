using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Contracts;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Api;

/// <summary>
/// <c>/v1/admin/dead-letters</c> against a RabbitMQ virtual host of this fixture's: operator keys only;
/// error queues listed with their fault samples; a replay moves commands back and dispatch still
/// sends each message once.
/// </summary>
[TestFixture]
public sealed class DeadLetterTests
{
    private const string ErrorQueue = "message.dispatch.telegram_error";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private IsolatedServices _services = null!;
    private SimulatorHost _simulator = null!;
    private TurumbaApp _app = null!;
    private HttpClient _operator = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _services = await IsolatedServices.CreateAsync("deadletters");
        _simulator = await SimulatorHost.StartAsync();
        _app = new TurumbaApp(settings: _services.Settings);
        var account = await _app.CreateAccountAsync("operators", operatorScope: true);
        _operator = _app.CreateClient();
        _operator.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _operator.Dispose();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Test]
    public async Task Tenant_keys_are_forbidden_and_anonymous_calls_unauthorized()
    {
        using var tenant = await _app.CreateAccountClientAsync("a tenant");
        using var anonymous = _app.CreateClient();

        var forbidden = await (await tenant.GetAsync("/v1/admin/dead-letters")).ExpectErrorAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await tenant.PostJsonAsync($"/v1/admin/dead-letters/{ErrorQueue}/replay", new { })).ExpectErrorAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await anonymous.GetAsync("/v1/admin/dead-letters")).ExpectErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.That(forbidden.GetProperty("message").GetString(), Does.Contain("may not"));
    }

    [Test]
    public async Task Replay_of_a_queue_that_is_not_an_error_queue_or_does_not_exist_is_refused()
    {
        await (await _operator.PostJsonAsync("/v1/admin/dead-letters/message.dispatch.telegram/replay", new { })).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await _operator.PostJsonAsync("/v1/admin/dead-letters/no.such.queue_error/replay", new { })).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        await (await _operator.PostJsonAsync($"/v1/admin/dead-letters/{ErrorQueue}/replay", new { message_ids = Array.Empty<string>() }))
            .ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");
    }

    [Test]
    public async Task Dead_dispatch_commands_are_listed_and_replayed_and_an_already_sent_message_is_not_sent_again()
    {
        using var tenant = await _app.CreateAccountClientAsync("dead letter tenant");
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var channel = (await (await tenant.PostJsonAsync("/v1/channels", new
        {
            name = "dead letters", channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = _simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var channelId = channel.GetProperty("id").GetGuid();
        var accountId = channel.GetProperty("account_id").GetGuid();
        var sent = (await (await tenant.PostJsonAsync("/v1/messages", new { channel_id = channelId, delivery_address = "5550777", message_body = "sent once" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var sentId = sent.GetProperty("id").GetGuid();
        await Eventually.WaitAsync(() => Task.FromResult(Sends(token) == 1), Deadline, "the first message to be sent");

        // A queued message whose command failed for good, and a stray second command of the sent one.
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var queuedId = await Messaging.MessageRows.InsertAsync(accountId, "queued", "5550778", createdAt, channelId, body: "replayed", database: _services.Postgres);
        var errors = await _app.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{ErrorQueue}"));
        await errors.Send(new DispatchMessage(sentId, sent.GetProperty("created_at").GetDateTimeOffset(), accountId, channelId, "telegram"));
        await errors.Send(new DispatchMessage(queuedId, createdAt, accountId, channelId, "telegram"));

        JsonElement queue = default;
        await Eventually.WaitAsync(async () =>
        {
            var listed = (await (await _operator.GetAsync("/v1/admin/dead-letters")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
            queue = listed.EnumerateArray().FirstOrDefault(q => q.GetProperty("queue").GetString() == ErrorQueue);
            return queue.ValueKind == JsonValueKind.Object && queue.GetProperty("messages").GetInt64() == 2;
        }, Deadline, "the error queue to be listed with both commands");
        var samples = queue.GetProperty("samples").EnumerateArray().ToList();

        var replay = (await (await _operator.PostJsonAsync($"/v1/admin/dead-letters/{ErrorQueue}/replay", new { })).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        await Eventually.WaitAsync(async () => await StatusAsync(queuedId) == "sent", Deadline, "the replayed command to send the queued message");
        // The management API's counts trail the queue by a few seconds.
        await Eventually.WaitAsync(async () => (await (await _operator.GetAsync("/v1/admin/dead-letters")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data")
            .EnumerateArray().First(q => q.GetProperty("queue").GetString() == ErrorQueue).GetProperty("messages").GetInt64() == 0, Deadline, "the error queue to be listed empty");

        Assert.Multiple(() =>
        {
            Assert.That(queue.GetProperty("source_queue").GetString(), Is.EqualTo("message.dispatch.telegram"));
            Assert.That(samples, Has.Count.EqualTo(2));
            Assert.That(samples.Select(s => s.GetProperty("message_type").GetString()), Is.All.EqualTo("urn:message:Turumba.Contracts:DispatchMessage"));
            Assert.That(samples.Select(s => s.GetProperty("message_id").GetString()), Is.All.Not.Null);
            Assert.That(replay.GetProperty("replayed").GetInt32(), Is.EqualTo(2));
            Assert.That(replay.GetProperty("remaining").GetInt64(), Is.Zero);
            Assert.That(Sends(token), Is.EqualTo(2), "the queued message once, the sent one not again");
        });
    }

    [Test]
    public async Task A_replay_by_message_id_moves_only_those_and_names_the_ids_it_did_not_find()
    {
        const string Queue = "turumba.test.replay_error";
        var bus = _app.Services.GetRequiredService<IBus>();
        var errors = await bus.GetSendEndpoint(new Uri($"queue:{Queue}"));
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var id = NewId.NextGuid();
            ids.Add(id);
            await errors.Send(new DispatchMessage(Guid.NewGuid(), DateTimeOffset.UtcNow, Guid.NewGuid(), Guid.NewGuid(), "telegram"), c => c.MessageId = id);
        }

        // The queue it came from must exist to replay into; nothing consumes it here.
        await (await bus.GetSendEndpoint(new Uri("queue:turumba.test.replay"))).Send(new DispatchMessage(Guid.NewGuid(), DateTimeOffset.UtcNow, Guid.NewGuid(), Guid.NewGuid(), "telegram"));
        var missing = Guid.NewGuid().ToString();

        var replay = (await (await _operator.PostJsonAsync($"/v1/admin/dead-letters/{Queue}/replay", new { message_ids = new[] { ids[1].ToString(), missing } }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(replay.GetProperty("replayed").GetInt32(), Is.EqualTo(1));
            Assert.That(replay.GetProperty("remaining").GetInt64(), Is.EqualTo(2), "the others were handed back");
            Assert.That(replay.GetProperty("not_found").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { missing }));
        });
    }

    private int Sends(string token) => _simulator.Telegram.RequestsFor("sendMessage").Count(r => r.Token == token);

    private async Task<string?> StatusAsync(Guid id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_services.Postgres);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select status from messaging.messages where id = '{id}'", connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
