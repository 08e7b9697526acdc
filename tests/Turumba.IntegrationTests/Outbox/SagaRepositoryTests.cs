using MassTransit;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Turumba.IntegrationTests.Outbox.Support;

namespace Turumba.IntegrationTests.Outbox;

/// <summary>The EF Core saga repository: optimistic concurrency that never loses an update, and queries.</summary>
[TestFixture]
public sealed class SagaRepositoryTests
{
    private MessagingEnvironment _environment = null!;
    private MessagingHost _host = null!;
    private ReceivedMessages _received = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _environment = await MessagingEnvironment.CreateAsync("sagas");
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
    public async Task Fifty_concurrent_events_for_one_saga_are_all_applied()
    {
        var correlationId = NewId.NextGuid();
        var bus = _host.Services.GetRequiredService<IBus>();

        await Task.WhenAll(Enumerable.Range(1, 50).Select(value => bus.Publish(new CounterIncremented(correlationId, value))));

        var sagas = _host.Services.GetRequiredService<ILoadSagaRepository<CounterState>>();
        CounterState? saga = null;
        await Eventually.WaitAsync(async () =>
        {
            saga = await sagas.Load(correlationId);
            return saga?.Count >= 50;
        }, TimeSpan.FromSeconds(90), "50 increments on the saga");

        Assert.Multiple(() =>
        {
            Assert.That(saga!.Count, Is.EqualTo(50));
            Assert.That(saga.Sum, Is.EqualTo(Enumerable.Range(1, 50).Sum()), "each event applied exactly once");
            Assert.That(saga.CurrentState, Is.EqualTo(nameof(CounterStateMachine.Counting)));
        });
    }

    [Test]
    public async Task Saga_behind_the_consumer_outbox_applies_fifty_concurrent_events_and_announces_each_once()
    {
        var correlationId = NewId.NextGuid();
        var bus = _host.Services.GetRequiredService<IBus>();

        await Task.WhenAll(Enumerable.Range(1, 50).Select(value => bus.Publish(new GuardedCounterIncremented(correlationId, value))));

        var sagas = _host.Services.GetRequiredService<ILoadSagaRepository<GuardedCounterState>>();
        GuardedCounterState? saga = null;
        await Eventually.WaitAsync(async () =>
        {
            saga = await sagas.Load(correlationId);
            return saga?.Count >= 50 && _received.Of<CounterChanged>(c => c.CorrelationId == correlationId).Count >= 50;
        }, TimeSpan.FromSeconds(90), "50 increments and their announcements");
        await Eventually.WaitAsync(
            async () => await _environment.ScalarAsync("select count(*) from platform.outbox_message") == 0,
            TimeSpan.FromSeconds(30), "every announcement released");

        var announced = _received.Of<CounterChanged>(c => c.CorrelationId == correlationId).Select(c => c.Message.Count).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(saga!.Count, Is.EqualTo(50));
            Assert.That(saga.Sum, Is.EqualTo(Enumerable.Range(1, 50).Sum()));
            Assert.That(announced, Is.EquivalentTo(Enumerable.Range(1, 50)), "one announcement per applied increment; none from replayed attempts");
        });
    }

    [Test]
    public async Task Sagas_can_be_found_by_query()
    {
        var correlationId = NewId.NextGuid();
        var bus = _host.Services.GetRequiredService<IBus>();
        await bus.Publish(new CounterIncremented(correlationId, 7));
        var sagas = _host.Services.GetRequiredService<ILoadSagaRepository<CounterState>>();
        await Eventually.WaitAsync(async () => await sagas.Load(correlationId) is not null, TimeSpan.FromSeconds(30), "the saga to exist");

        var found = await _host.Services.GetRequiredService<IQuerySagaRepository<CounterState>>()
            .Find(new SagaQuery<CounterState>(s => s.Sum == 7 && s.CorrelationId == correlationId));

        Assert.That(found, Is.EqualTo(new[] { correlationId }));
    }
}
