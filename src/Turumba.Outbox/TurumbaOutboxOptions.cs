namespace Turumba.Outbox;

/// <summary>Settings of the EF Core outbox of one DbContext, named after that context's type.</summary>
public sealed class TurumbaOutboxOptions
{
    /// <summary>Fallback poll of the delivery service when no notification arrives.</summary>
    public TimeSpan QueryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages sent from one outbox per transaction.</summary>
    public int MessageDeliveryLimit { get; set; } = 100;

    public TimeSpan MessageDeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Failed sends after which a message moves to <c>outbox_dead_letter</c>, when the failure is the
    /// message's own (unreadable, no valid destination) or other messages reached the broker since it
    /// first failed: an outage, which fails every message, never dead-letters anything.
    /// </summary>
    public int DeadLetterAfter { get; set; } = 10;

    /// <summary>Outboxes delivered at the same time by one instance (each one in its own order).</summary>
    public int DeliveryConcurrency { get; set; } = 8;

    /// <summary>
    /// Outboxes one worker takes per transaction. Their messages are sent concurrently (order is
    /// kept within an outbox, never promised across outboxes), and the whole batch costs one lock
    /// query, one read, one delete and one commit: an API that writes one message per request
    /// makes one-message outboxes, and without batching the commit per outbox is the bottleneck.
    /// </summary>
    public int OutboxBatchSize { get; set; } = 32;

    /// <summary>How long a consumed message is remembered, so a redelivery within it is not consumed again.</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often delivered inbox rows past the window and stale outbox rows are removed.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows removed per cleanup statement, so cleanup never holds long locks.</summary>
    public int CleanupBatchSize { get; set; } = 1000;

    internal static string NameFor(Type dbContextType) => dbContextType.FullName!;
}
