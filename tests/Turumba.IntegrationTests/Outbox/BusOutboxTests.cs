using System.Text.Json;
using Turumba.IntegrationTests.Outbox.Support;
using Turumba.Outbox;
using Turumba.Platform.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Turumba.IntegrationTests.Outbox;

/// <summary>The bus outbox: what a unit of work publishes is committed with it and delivered after it.</summary>
[TestFixture]
public sealed class BusOutboxTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private MessagingEnvironment _environment = null!;

    [OneTimeSetUp]
    public async Task CreateEnvironmentAsync() => _environment = await MessagingEnvironment.CreateAsync("outbox");

    [OneTimeTearDown]
    public async Task DropEnvironmentAsync() => await _environment.DisposeAsync();

    [Test]
    public async Task Committed_unit_of_work_delivers_its_messages_with_the_entity_saved()
    {
        var received = new ReceivedMessages();
        await using var host = await MessagingHost.StartAsync(_environment, "all", received);
        var run = Guid.NewGuid();
        var accountName = $"outbox {run}";

        await host.InUnitOfWorkAsync(async (db, publish) =>
        {
            db.Add(new Account { Name = accountName });
            for (var i = 0; i < 10; i++)
            {
                await publish.Publish(new OutboxProbe(run, i));
            }
        });

        await WaitForAsync(received, run, 10);
        Assert.Multiple(async () =>
        {
            Assert.That(await _environment.ScalarAsync($"select count(*) from platform.accounts where name = '{accountName}'"), Is.EqualTo(1));
            Assert.That(received.Of<OutboxProbe>(m => m.RunId == run).Select(m => m.Message.Index), Is.EquivalentTo(Enumerable.Range(0, 10)));
        });
        await WaitForEmptyOutboxAsync();
    }

    [Test]
    public async Task Synchronous_save_changes_commits_and_delivers_too()
    {
        var received = new ReceivedMessages();
        await using var host = await MessagingHost.StartAsync(_environment, "all", received);
        var run = Guid.NewGuid();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Turumba.Platform.Persistence.TurumbaDbContext>();
            var publish = scope.ServiceProvider.GetRequiredService<MassTransit.IPublishEndpoint>();
            for (var i = 0; i < 3; i++)
            {
                await publish.Publish(new OutboxProbe(run, i));
            }

            db.SaveChanges();
        }

        await WaitForAsync(received, run, 3);
        await WaitForEmptyOutboxAsync();
        Assert.That(received.Of<OutboxProbe>(m => m.RunId == run).Select(m => m.Message.Index), Is.EquivalentTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public async Task Rolled_back_or_failed_unit_of_work_delivers_nothing()
    {
        var received = new ReceivedMessages();
        await using var host = await MessagingHost.StartAsync(_environment, "all", received);
        var rolledBack = Guid.NewGuid();
        var failed = Guid.NewGuid();
        var fence = Guid.NewGuid();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Turumba.Platform.Persistence.TurumbaDbContext>();
            var publish = scope.ServiceProvider.GetRequiredService<MassTransit.IPublishEndpoint>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Add(new Account { Name = $"rolled back {rolledBack}" });
            await publish.Publish(new OutboxProbe(rolledBack, 0));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.ThrowsAsync<InvalidOperationException>(() => host.InUnitOfWorkAsync(async (db, publish) =>
        {
            db.Add(new Account { Name = $"failed {failed}" });
            await publish.Publish(new OutboxProbe(failed, 0));
            throw new InvalidOperationException("The request fails before it saves.");
        }));

        // A later committed unit of work is delivered; the earlier ones left nothing behind to deliver.
        await host.InUnitOfWorkAsync((_, publish) => publish.Publish(new OutboxProbe(fence, 0)));
        await WaitForAsync(received, fence, 1);
        await WaitForEmptyOutboxAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(received.Of<OutboxProbe>(m => m.RunId == rolledBack || m.RunId == failed), Is.Empty);
            Assert.That(await _environment.ScalarAsync(
                $"select count(*) from platform.accounts where name in ('rolled back {rolledBack}', 'failed {failed}')"), Is.Zero);
        });
    }

    [Test]
    public async Task Writes_while_the_broker_is_unreachable_are_delivered_once_when_it_is_back()
    {
        var received = new ReceivedMessages();
        var run = Guid.NewGuid();
        await using (var writer = await MessagingHost.StartAsync(_environment, "all", received, _environment.UnreachableRabbitMq))
        {
            for (var batch = 0; batch < 3; batch++)
            {
                var first = batch * 20;
                await writer.InUnitOfWorkAsync(async (db, publish) =>
                {
                    db.Add(new Account { Name = $"offline {run} {first}" });
                    for (var i = first; i < first + 20; i++)
                    {
                        await publish.Publish(new OutboxProbe(run, i));
                    }
                });
            }

            Assert.That(await PendingAsync(run), Is.EqualTo(60));
        }

        await using var delivery = await MessagingHost.StartAsync(_environment, "outbox", received);
        await WaitForAsync(received, run, 60);
        await WaitForEmptyOutboxAsync();

        var messages = received.Of<OutboxProbe>(m => m.RunId == run);
        Assert.Multiple(() =>
        {
            Assert.That(messages.Select(m => m.Message.Index), Is.EquivalentTo(Enumerable.Range(0, 60)));
            Assert.That(messages.Select(m => m.MessageId).Distinct().Count(), Is.EqualTo(60));
        });
    }

    [Test]
    public async Task Two_delivery_services_racing_deliver_each_row_once()
    {
        var received = new ReceivedMessages();
        var run = Guid.NewGuid();
        await using var first = await MessagingHost.StartAsync(_environment, "outbox", received);
        await using var second = await MessagingHost.StartAsync(_environment, "outbox", received);
        await using var writer = await MessagingHost.StartAsync(_environment, "api", received);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(batch => writer.InUnitOfWorkAsync(async (_, publish) =>
        {
            for (var i = batch * 25; i < (batch + 1) * 25; i++)
            {
                await publish.Publish(new OutboxProbe(run, i));
            }
        })));

        await WaitForAsync(received, run, 500);
        await WaitForEmptyOutboxAsync();
        var messages = received.Of<OutboxProbe>(m => m.RunId == run);
        Assert.Multiple(() =>
        {
            Assert.That(messages, Has.Count.EqualTo(500));
            Assert.That(messages.Select(m => m.Message.Index).Distinct().Count(), Is.EqualTo(500));
        });
    }

    [Test]
    public async Task Stopped_delivery_keeps_messages_in_order_and_delivers_them_on_restart()
    {
        var received = new ReceivedMessages();
        var run = Guid.NewGuid();
        await using (var writer = await MessagingHost.StartAsync(_environment, "api", received))
        {
            await writer.InUnitOfWorkAsync(async (_, publish) =>
            {
                for (var i = 0; i < 10; i++)
                {
                    await publish.Publish(new OutboxProbe(run, i));
                }
            });

            var backlog = await writer.Services.GetRequiredService<IOutboxBacklog>().GetAsync();
            Assert.That(backlog.BusOutboxMessages, Is.EqualTo(10));
            Assert.That(backlog.OldestBusOutbox, Is.Not.Null);
        }

        var stored = await _environment.BodiesAsync(
            $"select body from platform.outbox_message where body like '%{run}%' order by sequence_number");
        Assert.That(stored.Select(IndexOf), Is.EqualTo(Enumerable.Range(0, 10)), "outbox rows are stored in publish order");

        await using var restarted = await MessagingHost.StartAsync(_environment, "outbox", received);
        await WaitForAsync(received, run, 10);
        await WaitForEmptyOutboxAsync();
        var after = await restarted.Services.GetRequiredService<IOutboxBacklog>().GetAsync();
        Assert.Multiple(() =>
        {
            Assert.That(received.Of<OutboxProbe>(m => m.RunId == run), Has.Count.EqualTo(10));
            Assert.That(after.BusOutboxMessages, Is.Zero);
            Assert.That(after.OldestBusOutbox, Is.Null);
        });
    }

    [Test]
    public async Task A_message_that_can_never_be_sent_becomes_a_dead_letter_and_the_ones_behind_it_go_on()
    {
        var received = new ReceivedMessages();
        var run = Guid.NewGuid();
        await using (var writer = await MessagingHost.StartAsync(_environment, "api", received))
        {
            await writer.InUnitOfWorkAsync(async (_, publish) =>
            {
                for (var i = 0; i < 3; i++)
                {
                    await publish.Publish(new OutboxProbe(run, i));
                }
            });
        }

        // The first of the outbox's three rows becomes unreadable, as a row written by an incompatible version would be.
        var first = await _environment.ScalarAsync($"select min(sequence_number) from platform.outbox_message where body like '%{run}%'");
        await _environment.ScalarAsync($"with broken as (update platform.outbox_message set headers = '{{not json' where sequence_number = {first} returning 1) select count(*) from broken");

        await using var delivery = await MessagingHost.StartAsync(_environment, "outbox", received,
            settings: new Dictionary<string, string?> { ["Turumba:Outbox:DeadLetterAfter"] = "2" });
        await WaitForAsync(received, run, 2);
        await WaitForEmptyOutboxAsync();
        var reason = await _environment.BodiesAsync($"select reason || ' after ' || attempts from platform.outbox_dead_letter where sequence_number = {first}");

        Assert.Multiple(() =>
        {
            Assert.That(received.Of<OutboxProbe>(m => m.RunId == run).Select(m => m.Message.Index), Is.EquivalentTo(new[] { 1, 2 }), "the two behind it were sent");
            Assert.That(reason, Has.Count.EqualTo(1), "the unreadable row is kept as a dead letter");
            Assert.That(reason[0], Does.Contain("Json").And.EndWith("after 2"));
        });
    }

    [Test]
    public async Task Delivery_is_woken_by_the_commit_not_by_the_poll()
    {
        var received = new ReceivedMessages();
        await using var host = await MessagingHost.StartAsync(_environment, "all", received);
        await host.WaitForBusAsync();
        var warmUp = Guid.NewGuid();
        await host.InUnitOfWorkAsync((_, publish) => publish.Publish(new OutboxProbe(warmUp, 0)));
        await WaitForAsync(received, warmUp, 1);

        // The delivery service is now idle until the next notification or its 10 s poll.
        var run = Guid.NewGuid();
        await host.InUnitOfWorkAsync((_, publish) => publish.Publish(new OutboxProbe(run, 0)));

        await Eventually.WaitAsync(() => Task.FromResult(received.Of<OutboxProbe>(m => m.RunId == run).Count == 1),
            TimeSpan.FromSeconds(3), "delivery well before the fallback poll");
    }

    private async Task<long> PendingAsync(Guid run) =>
        await _environment.ScalarAsync($"select count(*) from platform.outbox_message where body like '%{run}%'");

    private Task WaitForEmptyOutboxAsync() =>
        Eventually.WaitAsync(
            async () => await _environment.ScalarAsync("select (select count(*) from platform.outbox_message) + (select count(*) from platform.outbox_state)") == 0,
            Deadline, "an empty outbox");

    private static Task WaitForAsync(ReceivedMessages received, Guid run, int count) =>
        Eventually.WaitAsync(() => Task.FromResult(received.Of<OutboxProbe>(m => m.RunId == run).Count >= count), Deadline, $"{count} messages of run {run}");

    private static int IndexOf(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("message").GetProperty("index").GetInt32();
}
