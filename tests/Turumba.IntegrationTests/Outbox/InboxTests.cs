using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Turumba.IntegrationTests.Outbox.Support;
using Turumba.Outbox;
using Turumba.Platform.Persistence;

namespace Turumba.IntegrationTests.Outbox;

/// <summary>The consumer outbox + inbox: each message consumed once in effect, its messages released after the commit.</summary>
[TestFixture]
public sealed class InboxTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private MessagingEnvironment _environment = null!;
    private MessagingHost _host = null!;
    private ReceivedMessages _received = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _environment = await MessagingEnvironment.CreateAsync("inbox");
        _received = new ReceivedMessages();
        _host = await MessagingHost.StartAsync(_environment, "all", _received);
        await _host.WaitForBusAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _environment.DisposeAsync();
    }

    [Test]
    public async Task Same_message_delivered_twice_has_its_side_effects_once()
    {
        var run = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        var endpoint = await _host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{GuardedCommandConsumer.Queue}"));

        // Both copies are in the queue together, so they are consumed concurrently.
        await Task.WhenAll(
            endpoint.Send(new GuardedCommand(run, FailFirstAttempt: false), c => c.MessageId = messageId),
            endpoint.Send(new GuardedCommand(run, FailFirstAttempt: false), c => c.MessageId = messageId));

        await Eventually.WaitAsync(
            async () => await _environment.ScalarAsync(
                $"select coalesce(sum(receive_count), 0) from platform.inbox_state where message_id = '{messageId}' and delivered is not null") == 2,
            Deadline, "both copies to be received");
        await WaitForReleasedAsync(messageId);
        await Eventually.WaitAsync(() => Task.FromResult(Handled(run) >= 1), Deadline, "the consumer's published message");

        Assert.Multiple(async () =>
        {
            Assert.That(await _environment.ScalarAsync($"select count(*) from messaging_test.side_effects where run_id = '{run}'"), Is.EqualTo(1));
            Assert.That(Handled(run), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Messages_of_a_failed_attempt_are_never_released()
    {
        var run = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        var endpoint = await _host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{GuardedCommandConsumer.Queue}"));

        await endpoint.Send(new GuardedCommand(run, FailFirstAttempt: true), c => c.MessageId = messageId);

        await WaitForReleasedAsync(messageId);
        await Eventually.WaitAsync(() => Task.FromResult(Handled(run) >= 1), Deadline, "the consumer's published message");
        Assert.Multiple(async () =>
        {
            Assert.That(await _environment.ScalarAsync($"select count(*) from messaging_test.side_effects where run_id = '{run}'"), Is.EqualTo(1));
            Assert.That(Handled(run), Is.EqualTo(1), "the failed attempt published too, but only inside its rolled-back transaction");
        });
    }

    [Test]
    public async Task Cleanup_removes_inbox_rows_past_the_duplicate_window_only()
    {
        var old = Guid.NewGuid();
        var recent = Guid.NewGuid();
        await _environment.ScalarAsync(
            $"""
            insert into platform.inbox_state (message_id, consumer_id, lock_id, received, receive_count, consumed, delivered) values
              ('{old}', '{Guid.NewGuid()}', '{Guid.NewGuid()}', now() - interval '2 days', 1, now() - interval '2 days', now() - interval '2 days'),
              ('{recent}', '{Guid.NewGuid()}', '{Guid.NewGuid()}', now(), 1, now(), now());
            select 0
            """);
        var cleanup = _host.Services.GetServices<IHostedService>().OfType<OutboxCleanupService<TurumbaDbContext>>().Single();

        var (inbox, _) = await cleanup.CleanUpAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(inbox, Is.GreaterThanOrEqualTo(1));
            Assert.That(await _environment.ScalarAsync($"select count(*) from platform.inbox_state where message_id = '{old}'"), Is.Zero);
            Assert.That(await _environment.ScalarAsync($"select count(*) from platform.inbox_state where message_id = '{recent}'"), Is.EqualTo(1));
        });
    }

    private int Handled(Guid run) => _received.Of<GuardedCommandHandled>(m => m.RunId == run).Count;

    private Task WaitForReleasedAsync(Guid messageId) =>
        Eventually.WaitAsync(
            async () => await _environment.ScalarAsync(
                $"select count(*) from platform.inbox_state where message_id = '{messageId}' and delivered is not null") == 1
                && await _environment.ScalarAsync($"select count(*) from platform.outbox_message where inbox_message_id = '{messageId}'") == 0,
            Deadline, "the consumer's messages to be released");
}
