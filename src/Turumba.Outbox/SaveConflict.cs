using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Turumba.Outbox;

/// <summary>Failures that mean "someone else saved first": retrying with fresh state succeeds.</summary>
internal static class SaveConflict
{
    public static bool IsConflict(Exception exception) => exception switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } } => true,
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } => true,
        _ => false,
    };

    /// <summary>Jittered, growing pause so that the contenders of one row spread out.</summary>
    public static Task BackOffAsync(int attempt, CancellationToken cancellationToken)
    {
        var ceiling = Math.Min(5 * (1 << Math.Min(attempt, 6)), 250);
#pragma warning disable CA5394 // Jitter, not security.
        return Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, ceiling)), cancellationToken);
#pragma warning restore CA5394
    }
}
