using System.Net;
using Npgsql;
using Turumba.IntegrationTests.Messaging;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Dispatch;

/// <summary>Messages left queued without a dispatch command (role <c>maintenance</c> finds them) are sent once; a live group send is left alone.</summary>
[TestFixture]
public sealed class QueuedSweepTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Orphaned_queued_messages_are_dispatched_again_and_sent_once_but_a_group_send_that_moves_is_left_alone()
    {
        await using var services = await IsolatedServices.CreateAsync("queuedsweep");
        await using var simulator = await SimulatorHost.StartAsync();
        var settings = services.Settings;
        settings["Turumba:Messages:QueuedSweep:Threshold"] = "00:00:30";
        settings["Turumba:Messages:QueuedSweep:Interval"] = "00:00:01";
        await using var app = new TurumbaApp(roles: "api,maintenance,dispatch:telegram", settings: settings);
        using var client = await app.CreateAccountClientAsync("queued sweep");
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var channel = (await (await client.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "sweep",
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        var (channelId, account) = (channel.GetProperty("id").GetGuid(), channel.GetProperty("account_id").GetGuid());
        var anHourAgo = DateTimeOffset.UtcNow.AddHours(-1);

        // Rows as a lost command leaves them: queued an hour ago, nothing on the broker. Written as
        // scheduled and queued together once complete, so no sweep sees half of them.
        var single = await MessageRows.InsertAsync(account, "scheduled", "111", anHourAgo, channelId, body: "orphan single", database: services.Postgres);
        var ofStalledGroup = await MessageRows.InsertAsync(account, "scheduled", "222", anHourAgo, channelId, body: "orphan of a group", database: services.Postgres);
        await SetGroupAsync(services, ofStalledGroup, Guid.NewGuid());
        // A group send whose other message just moved is alive (waiting for its rate limit or its turn): not touched.
        var liveGroup = Guid.NewGuid();
        var waiting = await MessageRows.InsertAsync(account, "scheduled", "333", anHourAgo, channelId, body: "waiting in a live group", database: services.Postgres);
        await SetGroupAsync(services, waiting, liveGroup);
        await SetGroupAsync(services, await MessageRows.InsertAsync(account, "sent", "334", DateTimeOffset.UtcNow, channelId, database: services.Postgres), liveGroup);
        await QueueAsync(services, [single, ofStalledGroup, waiting]);

        await Eventually.WaitAsync(async () => await StatusAsync(services, single) == "sent" && await StatusAsync(services, ofStalledGroup) == "sent",
            Deadline, "the orphaned messages to be sent");

        var texts = simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).Select(r => r.Parameters["text"]!.ToString()).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(texts, Is.EquivalentTo(new[] { "orphan single", "orphan of a group" }), "each sent once, the live group's message not at all");
            Assert.That(await StatusAsync(services, waiting), Is.EqualTo("queued"));
            Assert.That(app.Logs.Lines.Count(l => l.Contains("Sent the dispatch command again for", StringComparison.Ordinal)), Is.EqualTo(1),
                "one sweep took both, and later sweeps found nothing");
        });
    }

    private static async Task SetGroupAsync(IsolatedServices services, Guid message, Guid group)
    {
        await using var connection = new NpgsqlConnection(services.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("update messaging.messages set group_message_id = $2 where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = message });
        command.Parameters.Add(new NpgsqlParameter { Value = group });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task QueueAsync(IsolatedServices services, Guid[] messages)
    {
        await using var connection = new NpgsqlConnection(services.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("update messaging.messages set status = 'queued' where id = any($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = messages });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> StatusAsync(IsolatedServices services, Guid id)
    {
        await using var connection = new NpgsqlConnection(services.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select status from messaging.messages where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (string?)await command.ExecuteScalarAsync();
    }
}
