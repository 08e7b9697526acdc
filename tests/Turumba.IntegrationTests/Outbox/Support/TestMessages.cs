namespace Turumba.IntegrationTests.Outbox.Support;

/// <summary>Published through the bus outbox by the tests.</summary>
public sealed record OutboxProbe(Guid RunId, int Index);

/// <summary>Sent to the inbox-guarded consumer.</summary>
public sealed record GuardedCommand(Guid RunId, bool FailFirstAttempt);

/// <summary>Published by the inbox-guarded consumer from inside its transaction.</summary>
public sealed record GuardedCommandHandled(Guid RunId);

/// <summary>One increment of the test saga.</summary>
public sealed record CounterIncremented(Guid CorrelationId, int Value);

/// <summary>One increment of the outbox-guarded test saga.</summary>
public sealed record GuardedCounterIncremented(Guid CorrelationId, int Value);

/// <summary>Published by the outbox-guarded saga on every increment it applies.</summary>
public sealed record CounterChanged(Guid CorrelationId, int Count);
