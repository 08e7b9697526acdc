using Turumba.Platform.Persistence;

namespace Turumba.Messaging;

/// <summary>What other modules may do with messages directly, on hot paths that bypass the API.</summary>
public interface IMessageStore
{
    /// <summary>
    /// Writes outbound messages with PostgreSQL binary COPY on the context's connection, inside its
    /// current transaction when there is one, so a batch commits together with whatever else the
    /// caller saves (a fan-out cursor).
    /// </summary>
    Task BulkInsertAsync(TurumbaDbContext db, IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken);

    /// <summary>
    /// Claims queued messages for sending (compare-and-set <c>queued → sending</c>, one statement for
    /// the batch) and returns those it claimed. A message not queued any more (already sent, being
    /// sent, cancelled) is left out: this is what makes a duplicated or redelivered dispatch command
    /// send nothing twice. A message deferred past now (<see cref="NewMessage.DeferredUntil"/>) is left out too.
    /// </summary>
    Task<IReadOnlyList<MessageForDispatch>> TryStartSendingAsync(IReadOnlyList<MessageKey> keys, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="keys"/> still queued and not deferred past now (a read: nothing is claimed).</summary>
    Task<IReadOnlyList<MessageKey>> StillQueuedAsync(IReadOnlyList<MessageKey> keys, CancellationToken cancellationToken);

    /// <summary>Records how sending went (<c>sending → sent | failed | permanently_failed</c>), one statement per batch; returns how many changed.</summary>
    Task<int> RecordOutcomesAsync(IReadOnlyList<DispatchOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary><c>sending → queued</c>, for messages handed back to the broker before a send was tried.</summary>
    Task RequeueAsync(IReadOnlyList<MessageKey> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a group send's messages not dispatched yet (<c>queued</c> or <c>scheduled</c> →
    /// <c>cancelled</c>) on the context's connection, inside its current transaction, so the cancel
    /// commits or rolls back with what the caller holds (the group send's row lock); returns how many.
    /// </summary>
    Task<int> CancelUnsentOfGroupAsync(TurumbaDbContext db, Guid groupMessageId, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels those of <paramref name="messageIds"/> still <c>scheduled</c> (not released for
    /// dispatch yet) on the context's connection, inside its current transaction; returns the ids it
    /// cancelled. A message released meanwhile is left alone: the release and this lock the same row.
    /// </summary>
    Task<IReadOnlyList<Guid>> CancelScheduledAsync(TurumbaDbContext db, IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken);

    /// <summary>How many messages of each group send are in each status, counted in the table (every id asked for is in the answer).</summary>
    Task<IReadOnlyDictionary<Guid, IReadOnlyDictionary<MessageStatus, int>>> CountOfGroupsAsync(IReadOnlyList<Guid> groupMessageIds, CancellationToken cancellationToken);

    /// <summary>The messages of a group send still waiting for dispatch, not deferred (a resumed fan-out sends their commands again).</summary>
    Task<IReadOnlyList<MessageKey>> QueuedOfGroupAsync(Guid groupMessageId, CancellationToken cancellationToken);

    /// <summary>When each of <paramref name="addresses"/> last wrote to the channel (the start of its customer-service window); absent when never.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> LastInboundAtAsync(Guid channelId, IReadOnlyCollection<string> addresses, CancellationToken cancellationToken);
}
