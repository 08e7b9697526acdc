namespace Turumba.Outbox;

/// <summary>
/// A bus-outbox message that could not be sent (no route, unreadable, refused by the broker) after
/// <see cref="TurumbaOutboxOptions.DeadLetterAfter"/> attempts: moved out of its outbox so the
/// messages behind it go on, kept with the reason for an operator (<c>/v1/admin/dead-letters</c>).
/// </summary>
public sealed class OutboxDeadLetter
{
    public long Id { get; set; }

    public Guid MessageId { get; set; }

    public Guid? OutboxId { get; set; }

    public long SequenceNumber { get; set; }

    public string? DestinationAddress { get; set; }

    public required string MessageType { get; set; }

    public required string ContentType { get; set; }

    public required string Body { get; set; }

    public string? Headers { get; set; }

    public required string Reason { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset DeadAt { get; set; }
}
