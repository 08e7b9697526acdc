using MassTransit;
using Microsoft.EntityFrameworkCore;
using Turumba.Outbox;
using Turumba.Outbox.Sagas;

namespace Turumba.IntegrationTests.Outbox.Support;

public sealed class CounterState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public int Count { get; set; }

    public int Sum { get; set; }
}

/// <summary>Counts increments; every event may be the first, so creation races too.</summary>
public sealed class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine()
    {
        InstanceState(s => s.CurrentState);
        Event(() => Incremented, e => e.CorrelateById(m => m.Message.CorrelationId));

        Initially(When(Incremented).Then(Apply).TransitionTo(Counting));
        During(Counting, When(Incremented).Then(Apply));
    }

    public State Counting { get; private set; } = null!;

    public Event<CounterIncremented> Incremented { get; private set; } = null!;

    private static void Apply(BehaviorContext<CounterState, CounterIncremented> context)
    {
        context.Saga.Count++;
        context.Saga.Sum += context.Message.Value;
    }
}

internal sealed class CounterSagaDefinition : SagaDefinition<CounterState>
{
    public CounterSagaDefinition()
    {
        EndpointName = "counter-saga";
        ConcurrentMessageLimit = 16;
    }
}

public sealed class GuardedCounterState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public int Count { get; set; }

    public int Sum { get; set; }
}

/// <summary>The same counter behind the consumer outbox, announcing every increment.</summary>
public sealed class GuardedCounterStateMachine : MassTransitStateMachine<GuardedCounterState>
{
    public GuardedCounterStateMachine()
    {
        InstanceState(s => s.CurrentState);
        Event(() => Incremented, e => e.CorrelateById(m => m.Message.CorrelationId));

        Initially(When(Incremented).Then(Apply).PublishAsync(Changed).TransitionTo(Counting));
        During(Counting, When(Incremented).Then(Apply).PublishAsync(Changed));
    }

    public State Counting { get; private set; } = null!;

    public Event<GuardedCounterIncremented> Incremented { get; private set; } = null!;

    private static void Apply(BehaviorContext<GuardedCounterState, GuardedCounterIncremented> context)
    {
        context.Saga.Count++;
        context.Saga.Sum += context.Message.Value;
    }

    private static Task<CounterChanged> Changed(BehaviorContext<GuardedCounterState, GuardedCounterIncremented> context) =>
        Task.FromResult(new CounterChanged(context.Saga.CorrelationId, context.Saga.Count));
}

internal sealed class GuardedCounterSagaDefinition : SagaDefinition<GuardedCounterState>
{
    public GuardedCounterSagaDefinition()
    {
        EndpointName = "guarded-counter-saga";
        ConcurrentMessageLimit = 16;
    }

    protected override void ConfigureSaga(
        IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<GuardedCounterState> sagaConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Immediate(5));
        endpointConfigurator.UseTurumbaEntityFrameworkOutbox<SagaTestDbContext>(context);
    }
}

internal sealed class CounterChangedConsumer(ReceivedMessages received) : IConsumer<CounterChanged>
{
    public Task Consume(ConsumeContext<CounterChanged> context)
    {
        received.Add(context, context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>The sagas' own context (test tables stay out of the host's model), with the outbox tables for the guarded one.</summary>
internal sealed class SagaTestDbContext(DbContextOptions<SagaTestDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CounterState>(saga =>
        {
            saga.ToTable("counter_state", "messaging_test");
            saga.IsTurumbaSaga();
            saga.Property(s => s.CurrentState).HasMaxLength(64);
        });
        modelBuilder.Entity<GuardedCounterState>(saga =>
        {
            saga.ToTable("guarded_counter_state", "messaging_test");
            saga.IsTurumbaSaga();
            saga.Property(s => s.CurrentState).HasMaxLength(64);
        });
        modelBuilder.AddTurumbaOutboxEntities(Turumba.Platform.Persistence.PersistenceServiceCollectionExtensions.Schema);
    }
}
