using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Messaging;

/// <summary>
/// <c>Turumba:RabbitMq:QuorumQueues=true</c> on the local single-node broker, in a virtual host of
/// its own (a queue cannot change type once declared): every durable queue is a quorum queue, the
/// temporary ones stay classic, and single and group sends go through them.
/// </summary>
[TestFixture]
public sealed class QuorumQueueTests
{
    private const string Dispatch = "message.dispatch.telegram";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // The host sets it from the setting; the next host of this process sets it again from its own.
    [TearDown]
    public void RestoreCommandAddresses() => Turumba.Contracts.CommandAddresses.ViaExchange = false;

    [Test]
    public async Task A_command_sent_before_any_dispatcher_ever_started_waits_in_its_quorum_queue()
    {
        await using var simulator = await SimulatorHost.StartAsync();
        await using var services = await IsolatedServices.CreateAsync("quorumfirst");
        var settings = services.Settings;
        settings["Turumba:RabbitMq:QuorumQueues"] = "true";
        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        Guid id;
        await using (var api = new TurumbaApp("api,outbox", settings))
        {
            using var client = await api.CreateAccountClientAsync("quorum first");
            var channel = (await (await client.PostJsonAsync("/v1/channels", new
            {
                name = "quorum first", channel_type = "telegram",
                credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = simulator.BaseUrl.ToString() },
            })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
            id = (await (await client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "4243", message_body = "kept" }))
                .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
            await Eventually.WaitAsync(async () =>
            {
                await using var connection = new Npgsql.NpgsqlConnection(services.Postgres);
                await connection.OpenAsync();
                await using var outbox = new Npgsql.NpgsqlCommand("select count(*) from platform.outbox_message", connection);
                return (long)(await outbox.ExecuteScalarAsync())! == 0;
            }, Deadline, "the outbox to hand the dispatch command to the broker");
        }

        // The first dispatcher of this broker starts only now.
        await using var dispatcher = new TurumbaApp("dispatch", settings);
        await dispatcher.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, Deadline);
        await Eventually.WaitAsync(() => Task.FromResult(simulator.Telegram.RequestsFor("sendMessage").Any(r => r.Token == token)), Deadline,
            $"message {id} to be sent by the late dispatcher");
    }

    [Test]
    public async Task Every_durable_queue_is_a_quorum_queue_and_single_and_group_sends_go_through_them()
    {
        await using var simulator = await SimulatorHost.StartAsync();
        await using var services = await IsolatedServices.CreateAsync("quorum");
        var settings = services.Settings;
        settings["Turumba:RabbitMq:QuorumQueues"] = "true";
        await using var app = new TurumbaApp(settings: settings);
        await app.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, Deadline);
        using var client = await app.CreateAccountClientAsync("quorum");

        var token = $"{Random.Shared.Next(100_000, 999_999_999)}:AA{Guid.NewGuid():N}";
        var channel = (await (await client.PostJsonAsync("/v1/channels", new
        {
            name = "quorum bot",
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token, ["api_base_url"] = simulator.BaseUrl.ToString() },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        var id = (await (await client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "4242", message_body = "replicated" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
        string? status = null;
        await Eventually.WaitAsync(async () =>
        {
            status = (await (await client.GetAsync($"/v1/messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetProperty("status").GetString();
            return status == "sent";
        }, Deadline, $"message {id} to be sent (last seen {status})");

        // A group send: the saga's fan-out command and the fan-out's dispatch batches go through the exchanges too.
        var groups = new Groups.GroupSendClient(client, services.Postgres, simulator);
        var group = await groups.QueueAsync(channel, await groups.CreateGroupOfAsync(3));
        await groups.WaitForStatusAsync(group, "completed");

        // An unreadable message and one of a type nobody consumes make the endpoint declare its _error and _skipped queues.
        const string MassTransitJson = "application/vnd.masstransit+json";
        await TestVirtualHost.PublishAsync(TestServices.AdminRabbitMq, services.VirtualHost, Dispatch, MassTransitJson, "not json");
        await TestVirtualHost.PublishAsync(TestServices.AdminRabbitMq, services.VirtualHost, Dispatch, MassTransitJson,
            $$$"""{"messageId":"{{{Guid.NewGuid()}}}","messageType":["urn:message:Turumba.Tests:Unknown"],"message":{}}""");
        IReadOnlyList<QueueDeclaration> queues = [];
        await Eventually.WaitAsync(async () =>
        {
            queues = await TestVirtualHost.QueueDeclarationsAsync(TestServices.AdminRabbitMq, services.VirtualHost);
            return queues.Any(q => q.Name == Dispatch + "_error") && queues.Any(q => q.Name == Dispatch + "_skipped");
        }, Deadline, "the dispatch queue's _error and _skipped queues");
        var durable = queues.Where(q => !q.Temporary).ToList();
        var sends = simulator.Telegram.RequestsFor("sendMessage").Where(r => r.Token == token).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sends, Has.Count.EqualTo(4), "the single send and the group's three");
            Assert.That(durable.Select(q => q.Name), Is.SupersetOf(new[]
            {
                Dispatch, Dispatch + "_error", Dispatch + "_skipped", "message.status.update", "group_send_saga", "group_message_processing",
            }));
            Assert.That(durable.Where(q => q.QueueType != "quorum").Select(q => q.Name), Is.Empty, "durable queues that are not quorum queues");
            Assert.That(queues.Where(q => q.Temporary).Select(q => q.Name), Has.Some.StartsWith("channel-cache-eviction-"));
            Assert.That(queues.Where(q => q.Temporary && q.QueueType == "quorum").Select(q => q.Name), Is.Empty, "temporary queues must stay classic");
        });
    }
}
