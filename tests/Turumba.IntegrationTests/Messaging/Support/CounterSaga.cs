using MassTransit;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Messaging.Sagas;

namespace Turumba.IntegrationTests.Messaging.Support;

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

/// <summary>The saga's own context: test tables stay out of the host's model.</summary>
internal sealed class SagaTestDbContext(DbContextOptions<SagaTestDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<CounterState>(saga =>
        {
            saga.ToTable("counter_state", "messaging_test");
            saga.IsTurumbaSaga();
            saga.Property(s => s.CurrentState).HasMaxLength(64);
        });
}
