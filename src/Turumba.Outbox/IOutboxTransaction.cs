namespace Turumba.Outbox;

/// <summary>
/// Present on a consume context whose work already runs in the outbox's transaction; the saga
/// repository joins that transaction instead of saving on its own.
/// </summary>
internal interface IOutboxTransaction
{
    Guid TransactionId { get; }
}
