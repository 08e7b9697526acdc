namespace Turumba.Outbox;

/// <summary>
/// One bus outbox (<c>platform.outbox_state</c>): the messages one unit of work published. The
/// delivery service locks this row while it sends them, which is what keeps two delivering
/// instances off the same messages. Same shape as MassTransit.EntityFrameworkCore's <c>OutboxState</c>.
/// </summary>
internal sealed class OutboxState
{
    public Guid OutboxId { get; set; }

    public Guid LockId { get; set; }

    /// <summary>Kept for shape compatibility; our locking is row locks, not this token.</summary>
    public byte[]? RowVersion { get; set; }

    public DateTime Created { get; set; }

    public DateTime? Delivered { get; set; }

    public long? LastSequenceNumber { get; set; }
}
