namespace Turumba.Outbox;

/// <summary>
/// One received message per consumer (<c>platform.inbox_state</c>): the row a consumer locks while it
/// consumes, and the record that lets a redelivered message be recognised. Same shape as
/// MassTransit.EntityFrameworkCore's <c>InboxState</c>.
/// </summary>
internal sealed class InboxState
{
    public long Id { get; set; }

    public Guid MessageId { get; set; }

    public Guid ConsumerId { get; set; }

    public Guid LockId { get; set; }

    /// <summary>Kept for shape compatibility; our locking is row locks, not this token.</summary>
    public byte[]? RowVersion { get; set; }

    public DateTime Received { get; set; }

    public int ReceiveCount { get; set; }

    public DateTime? ExpirationTime { get; set; }

    public DateTime? Consumed { get; set; }

    public DateTime? Delivered { get; set; }

    public long? LastSequenceNumber { get; set; }
}
