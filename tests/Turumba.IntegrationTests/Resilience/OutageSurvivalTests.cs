using System.Net;
using Npgsql;
using Turumba.IntegrationTests.Groups;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Resilience;

/// <summary>
/// One host process (<c>--roles all</c>) on PostgreSQL, RabbitMQ and Redis servers of this test's
/// own, with a group send under way: its database sessions are ended, then PostgreSQL, RabbitMQ and
/// Redis (losing its data) are each stopped and started. The same process must ride out every
/// outage, say so on <c>/health/ready</c> while it lasts, and finish the send with every recipient
/// sent exactly once.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class OutageSurvivalTests
{
    private const int Recipients = 2_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private PrivatePostgres _postgres = null!;
    private PrivateRabbitMq _rabbit = null!;
    private PrivateRedis _redis = null!;
    private SimulatorHost _simulator = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        var starting = (PrivatePostgres.CreateAsync(), PrivateRabbitMq.CreateAsync(), PrivateRedis.CreateAsync(), SimulatorHost.StartAsync());
        (_postgres, _rabbit, _redis, _simulator) = (await starting.Item1, await starting.Item2, await starting.Item3, await starting.Item4);
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        await _simulator.DisposeAsync();
        await _redis.DisposeAsync();
        await _rabbit.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Test]
    public async Task Ready_reports_each_outage_while_it_lasts_and_recovers_by_itself_while_live_stays_up()
    {
        var (host, _) = await StartHostAsync("readiness");
        await using var _ = host;
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var outages = new (string Name, Func<Task> Stop, Func<Task> Start)[]
        {
            ("PostgreSQL", _postgres.StopAsync, _postgres.StartAsync),
            ("RabbitMQ", _rabbit.StopAsync, _rabbit.StartAsync),
            ("Redis", _redis.StopAsync, _redis.StartAsync),
        };

        foreach (var (name, stop, start) in outages)
        {
            await stop();
            await ExpectReadyAsync(host, HttpStatusCode.ServiceUnavailable, $"{name} is down");
            using (var live = await http.GetAsync("/health/live"))
            {
                Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"/health/live while {name} is down");
            }

            await start();
            await ExpectReadyAsync(host, HttpStatusCode.OK, $"{name} is back");
        }

        Assert.That(host.HasExited, Is.False);
    }

    [Test]
    public async Task A_group_send_completes_exactly_once_through_session_kills_and_restarts_of_postgres_rabbitmq_and_redis()
    {
        var (host, database) = await StartHostAsync("outages");
        await using var _ = host;
        var environment = Environment(database);
        var (postgres, rabbit, redis, simulator) = (_postgres, _rabbit, _redis, _simulator);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", await CreateApiKeyAsync(environment));
        var groups = new GroupSendClient(http, database, simulator);
        var (channel, token) = await CreateChannelAsync(http, simulator, perMinute: 1_200);
        var id = await groups.QueueAsync(channel, await groups.CreateGroupOfAsync(Recipients));
        await Eventually.WaitAsync(() => Task.FromResult(groups.SendsFor(token) >= 50), Deadline, "the group send to be under way", () => Problems(host));

        var ended = await postgres.TerminateSessionsAsync(new NpgsqlConnectionStringBuilder(database).Database!);
        await ExpectRecoveredAsync(host, groups, token, "every session of its database was ended");

        await postgres.StopAsync();
        await ExpectReadyAsync(host, HttpStatusCode.ServiceUnavailable, "PostgreSQL is down");
        await postgres.StartAsync();
        await ExpectRecoveredAsync(host, groups, token, "PostgreSQL was restarted");

        await rabbit.StopAsync();
        await ExpectReadyAsync(host, HttpStatusCode.ServiceUnavailable, "RabbitMQ is down");
        await rabbit.StartAsync();
        await ExpectRecoveredAsync(host, groups, token, "RabbitMQ was restarted");

        await redis.StopAsync();
        await ExpectReadyAsync(host, HttpStatusCode.ServiceUnavailable, "Redis is down");
        await redis.StartAsync();
        await ExpectRecoveredAsync(host, groups, token, "Redis was restarted with its data lost");

        var sentBeforeTheEnd = groups.SendsFor(token);
        var done = await WaitForCompletionAsync(groups, id, host);
        var counts = await groups.CountByBucketAsync(id);
        var distinctRecipients = simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).Select(r => r.Parameters["chat_id"]?.ToString()).Distinct().Count();

        Assert.Multiple(() =>
        {
            Assert.That(ended, Is.GreaterThan(0), "sessions were ended");
            Assert.That(sentBeforeTheEnd, Is.LessThan(Recipients), "the send was still running through the last outage");
            Assert.That(host.HasExited, Is.False, "the same process rode out every outage");
            Assert.That(groups.SendsFor(token), Is.EqualTo(Recipients), "each recipient sent to once");
            Assert.That(distinctRecipients, Is.EqualTo(Recipients));
            Assert.That(counts["sent"], Is.EqualTo(Recipients));
            Assert.That(done.GetProperty("sent_count").GetInt32(), Is.EqualTo(Recipients));
        });
    }

    [Test]
    public async Task Single_sends_through_a_redis_and_a_postgres_restart_each_end_sent_exactly_once()
    {
        const int Sends = 500;
        var (host, database) = await StartHostAsync("singles");
        await using var _ = host;
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", await CreateApiKeyAsync(Environment(database)));
        var (channel, token) = await CreateChannelAsync(http, _simulator, perMinute: null);

        // A client that retries what the API did not accept, under the same Idempotency-Key, as the API asks of it.
        var accepted = new System.Collections.Concurrent.ConcurrentDictionary<int, Guid>();
        var posting = Parallel.ForEachAsync(Enumerable.Range(0, Sends), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!accepted.ContainsKey(i))
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"send {i} was never accepted");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(new { channel_id = channel, delivery_address = "5550001", message_body = $"single {i}" }),
                };
                request.Headers.Add("Idempotency-Key", $"single-{i}");
                try
                {
                    using var response = await http.SendAsync(request, cancellationToken);
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                        accepted[i] = body.RootElement.GetProperty("data").GetProperty("id").GetGuid();
                        continue;
                    }

                    Assert.That((int)response.StatusCode, Is.GreaterThanOrEqualTo(500), $"send {i}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                }

                await Task.Delay(200, cancellationToken);
            }
        });

        await Eventually.WaitAsync(() => Task.FromResult(accepted.Count >= 100), Deadline, "the first sends to be accepted", () => Problems(host));
        await _redis.RestartAsync(TimeSpan.FromSeconds(2));
        await Eventually.WaitAsync(() => Task.FromResult(accepted.Count >= 250), Deadline, "sends to be accepted after the Redis restart", () => Problems(host));
        await _postgres.RestartAsync(TimeSpan.FromSeconds(2));
        await posting;

        await Eventually.WaitAsync(async () => await CountAsync(database, "status not in ('sent', 'delivered', 'failed', 'permanently_failed')") == 0,
            TimeSpan.FromMinutes(3), "every accepted send to reach a final status", () => Problems(host));
        var texts = _simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).Select(r => r.Parameters["text"]?.ToString()).ToList();

        Assert.Multiple(async () =>
        {
            Assert.That(accepted, Has.Count.EqualTo(Sends));
            Assert.That(await CountAsync(database, "true"), Is.EqualTo(Sends), "one message per send, retries included");
            Assert.That(await CountAsync(database, "status = 'sent'"), Is.EqualTo(Sends), "none failed, none outcome_unknown");
            Assert.That(texts, Has.Count.EqualTo(Sends), "the provider got each message once");
            Assert.That(texts.Distinct().Count(), Is.EqualTo(Sends));
            Assert.That(host.HasExited, Is.False);
        });
    }

    [Test]
    public async Task Provider_callbacks_during_a_broker_and_a_redis_outage_are_answered_200_and_stored_once_when_they_are_back()
    {
        // Several providers (Twilio among them) drop a callback we refuse: a broker or Redis blip must not refuse them.
        var (host, database) = await StartHostAsync("callbacks", new() { ["Turumba__Webhooks__BaseUrl"] = "https://hooks.turumba.test" });
        await using var _ = host;
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", await CreateApiKeyAsync(Environment(database)));
        var (channel, token) = await CreateChannelAsync(http, _simulator, perMinute: null, verify: true);
        await Eventually.WaitAsync(() => Task.FromResult(_simulator.Telegram.WebhookOf(token) is not null), Deadline, "the channel's webhook to be registered", () => Problems(host));
        var secret = _simulator.Telegram.WebhookOf(token)!.Value.Secret!;
        async Task<HttpStatusCode> PostAsync(System.Text.Json.Nodes.JsonObject update)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{channel}")
            {
                Content = new StringContent(update.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        var updates = Enumerable.Range(0, 6).Select(i => _simulator.Telegram.TextUpdate(5550100 + i, $"reply {i}")).ToList();
        await _rabbit.StopAsync();
        await ExpectReadyAsync(host, HttpStatusCode.ServiceUnavailable, "RabbitMQ is down");
        var answers = new List<HttpStatusCode>();
        foreach (var update in updates.Take(4))
        {
            answers.Add(await PostAsync(update));
        }

        await _redis.StopAsync();
        answers.Add(await PostAsync(updates[4]));
        await _redis.StartAsync();
        await _rabbit.StartAsync();
        answers.Add(await PostAsync(updates[5]));
        answers.Add(await PostAsync(updates[0]));

        await Eventually.WaitAsync(async () => await CountAsync(database, "direction = 'inbound'") >= 6, Deadline,
            "the callbacks taken during the outages to be stored", () => Problems(host));
        Assert.Multiple(async () =>
        {
            Assert.That(answers, Is.All.EqualTo(HttpStatusCode.OK), "every callback was taken, none refused for the outage");
            Assert.That(await CountAsync(database, "direction = 'inbound'"), Is.EqualTo(6), "each stored once, the repeat included");
            Assert.That(host.HasExited, Is.False);
        });
    }

    private static async Task<long> CountAsync(string database, string where)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from messaging.messages where {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(HostProcess Host, string Database)> StartHostAsync(string purpose, Dictionary<string, string?>? settings = null)
    {
        var database = await _postgres.CreateMigratedDatabaseAsync(purpose);
        var environment = Environment(database);
        foreach (var (name, value) in settings ?? [])
        {
            environment[name] = value;
        }

        return (await HostProcess.StartReadyAsync("all", environment), database);
    }

    private Dictionary<string, string?> Environment(string database) => new()
    {
        ["ConnectionStrings__Postgres"] = database,
        ["ConnectionStrings__RabbitMq"] = _rabbit.ConnectionString,
        ["ConnectionStrings__Redis"] = _redis.ConnectionString,
    };

    /// <summary>The host's last warnings and errors, shortened: its full output runs to megabytes.</summary>
    private static string Problems(HostProcess host) => string.Join(System.Environment.NewLine, host.Output.Split('\n')
        .Where(l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)
            || l.Contains("\"LogLevel\":\"Warning\"", StringComparison.Ordinal))
        .TakeLast(15)
        .Select(l => l.Length > 600 ? l[..600] + "…" : l));

    private static async Task ExpectRecoveredAsync(HostProcess host, GroupSendClient groups, string token, string after)
    {
        await ExpectReadyAsync(host, HttpStatusCode.OK, $"healthy again after {after}");
        var sent = groups.SendsFor(token);
        await Eventually.WaitAsync(() => Task.FromResult(groups.SendsFor(token) > sent || sent >= Recipients), Deadline,
            $"sends to go on after {after}", () => Problems(host));
    }

    private static async Task ExpectReadyAsync(HostProcess host, HttpStatusCode expected, string what)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.WaitAsync(async () =>
        {
            Assert.That(host.HasExited, Is.False, $"the host exited while {what}:{System.Environment.NewLine}{Problems(host)}");
            try
            {
                using var response = await http.GetAsync("/health/ready");
                return response.StatusCode == expected;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, Deadline, $"/health/ready to answer {(int)expected} ({what})", () => Problems(host));
    }

    private static async Task<System.Text.Json.JsonElement> WaitForCompletionAsync(GroupSendClient groups, Guid id, HostProcess host)
    {
        System.Text.Json.JsonElement group = default;
        await Eventually.WaitAsync(async () => (group = await groups.GetAsync(id)).GetProperty("status").GetString() == "completed",
            TimeSpan.FromSeconds(180), "the group send to complete", () => Problems(host));
        return group;
    }

    private static async Task<string> CreateApiKeyAsync(Dictionary<string, string?> environment)
    {
        await using var process = HostProcess.Start(["accounts", "create", "--name", "outages"], environment);
        Assert.That(await process.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(0), process.Output);
        return process.Output.TrimEnd().Split('\n')[^1].Trim();
    }

    private static async Task<(Guid Channel, string Token)> CreateChannelAsync(HttpClient http, SimulatorHost simulator, int? perMinute, bool verify = false)
    {
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var id = (await (await http.PostJsonAsync($"/v1/channels?verify={(verify ? "true" : "false")}", new
        {
            name = "outage bot",
            channel_type = "telegram",
            rate_limit = perMinute,
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        return (id, token);
    }
}
