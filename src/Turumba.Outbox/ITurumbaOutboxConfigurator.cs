namespace Turumba.Outbox;

/// <summary>
/// Configures the EF Core outbox of one DbContext, the way MassTransit's
/// <c>IEntityFrameworkOutboxConfigurator</c> does.
/// </summary>
public interface ITurumbaOutboxConfigurator
{
    /// <inheritdoc cref="TurumbaOutboxOptions.QueryDelay"/>
    TimeSpan QueryDelay { get; set; }

    /// <inheritdoc cref="TurumbaOutboxOptions.DuplicateDetectionWindow"/>
    TimeSpan DuplicateDetectionWindow { get; set; }

    /// <inheritdoc cref="TurumbaOutboxOptions.CleanupInterval"/>
    TimeSpan CleanupInterval { get; set; }

    /// <summary>PostgreSQL (row locks with SKIP LOCKED, LISTEN/NOTIFY); the only database supported.</summary>
    void UsePostgres();

    /// <summary>Publishes and sends through scoped endpoints outside a consumer go to the outbox.</summary>
    void UseBusOutbox(Action<ITurumbaBusOutboxConfigurator>? configure = null);

    /// <summary>This instance does not remove old inbox and outbox rows.</summary>
    void DisableCleanupService();
}

/// <summary>Configures the bus outbox and its delivery service.</summary>
public interface ITurumbaBusOutboxConfigurator
{
    /// <inheritdoc cref="TurumbaOutboxOptions.MessageDeliveryLimit"/>
    int MessageDeliveryLimit { get; set; }

    /// <inheritdoc cref="TurumbaOutboxOptions.MessageDeliveryTimeout"/>
    TimeSpan MessageDeliveryTimeout { get; set; }

    /// <inheritdoc cref="TurumbaOutboxOptions.DeliveryConcurrency"/>
    int DeliveryConcurrency { get; set; }

    /// <inheritdoc cref="TurumbaOutboxOptions.DeadLetterAfter"/>
    int DeadLetterAfter { get; set; }

    /// <summary>This instance writes to the outbox but leaves delivery to instances that run it.</summary>
    void DisableDeliveryService();
}
