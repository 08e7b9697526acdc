namespace Turumba.Outbox.Sagas;

/// <summary>Settings of the EF Core saga repository of one saga type.</summary>
public sealed class TurumbaSagaRepositoryOptions
{
    /// <summary>
    /// Attempts at one event when others update the same saga meanwhile (optimistic concurrency
    /// conflict); each attempt reloads the saga. After the last one the conflict goes to
    /// MassTransit's retry and error handling.
    /// </summary>
    public int ConflictRetryLimit { get; set; } = 50;
}
