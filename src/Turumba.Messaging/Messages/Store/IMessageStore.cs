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
    /// Claims a queued message for sending (compare-and-set <c>queued → sending</c>, one round trip).
    /// Null when it is not queued any more: already sent, being sent, cancelled. This is what makes
    /// a duplicated or redelivered dispatch command send nothing twice.
    /// </summary>
    Task<MessageForDispatch?> TryStartSendingAsync(Guid id, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary><c>sending → sent</c> with the provider's id.</summary>
    Task<bool> MarkSentAsync(Guid id, DateTimeOffset createdAt, string providerMessageId, int attempts, DateTimeOffset sentAt, CancellationToken cancellationToken);

    /// <summary><c>sending → failed | permanently_failed</c> with the reason.</summary>
    Task<bool> MarkFailedAsync(Guid id, DateTimeOffset createdAt, MessageStatus status, int attempts, string errorCode, string errorMessage, DateTimeOffset failedAt, CancellationToken cancellationToken);

    /// <summary><c>sending → queued</c>, for a message handed back to the broker before any send was tried.</summary>
    Task RequeueAsync(Guid id, DateTimeOffset createdAt, CancellationToken cancellationToken);
    /// <summary>Stores an inbound message unless the same provider message is stored already; true when stored.</summary>
    Task<bool> InsertInboundAsync(InboundMessageRecord message, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Applies provider reports in one statement; a report never moves a message backwards.</summary>
    Task<IReadOnlyList<AppliedStatus>> ApplyStatusReportsAsync(IReadOnlyList<StatusReport> reports, CancellationToken cancellationToken);

    /// <summary>The messages of a group send still waiting for dispatch (a resumed fan-out sends their commands again).</summary>
    Task<IReadOnlyList<(Guid Id, DateTimeOffset CreatedAt)>> QueuedOfGroupAsync(Guid groupMessageId, CancellationToken cancellationToken);
}
