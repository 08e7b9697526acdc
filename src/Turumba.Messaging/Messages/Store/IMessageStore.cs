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
}
