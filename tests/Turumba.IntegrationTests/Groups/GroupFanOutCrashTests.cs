using Turumba.Simulator;

namespace Turumba.IntegrationTests.Groups;

/// <summary>The fan-out runs in a host process of its own (role groups), killed mid-way and started again.</summary>
[TestFixture]
public sealed class GroupFanOutCrashTests
{
    [Test]
    public async Task Fan_out_killed_mid_way_resumes_without_duplicates_and_the_totals_are_right()
    {
        await using var services = await IsolatedServices.CreateAsync("fanoutcrash");
        await using var simulator = await SimulatorHost.StartAsync();
        await using var app = new TurumbaApp("api,outbox,dispatch:telegram,status", services.Settings);
        using var http = await app.CreateAccountClientAsync("fanoutcrash");
        var groups = new GroupSendClient(http, services.Postgres, simulator);
        var (channel, token) = await groups.CreateChannelAsync();
        var group = await groups.CreateGroupOfAsync(5_000);
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = services.Postgres,
            ["ConnectionStrings__RabbitMq"] = services.RabbitMq,
            ["Turumba__Groups__FanOutPageSize"] = "10",
        };

        await using var first = await HostProcess.StartReadyAsync("groups", environment);
        var id = await groups.QueueAsync(channel, group);
        await Eventually.WaitAsync(async () => (await groups.GetAsync(id)).GetProperty("total_recipients").GetInt32() >= 200, GroupSendClient.Deadline,
            "the first fan-out to be under way", () => first.Output);
        first.Kill();
        var atKill = await groups.GetAsync(id);

        await using var second = await HostProcess.StartReadyAsync("groups", environment);
        var done = await groups.WaitForStatusAsync(id, "completed");
        var distinctContacts = await groups.ScalarAsync("select count(distinct contact_id) from messaging.messages where group_message_id = $1", id);
        var messages = await groups.ScalarAsync("select count(*) from messaging.messages where group_message_id = $1", id);
        var counts = await groups.CountByBucketAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(atKill.GetProperty("total_recipients").GetInt32(), Is.LessThan(5_000), "killed before the fan-out ended");
            Assert.That(messages, Is.EqualTo(5_000));
            Assert.That(distinctContacts, Is.EqualTo(5_000));
            Assert.That(done.GetProperty("total_recipients").GetInt32(), Is.EqualTo(5_000));
            Assert.That(done.GetProperty("sent_count").GetInt32(), Is.EqualTo(counts["sent"]));
            Assert.That(counts["sent"], Is.EqualTo(5_000));
            Assert.That(groups.SendsFor(token), Is.EqualTo(5_000), "each recipient sent to once");
        });
    }
}
