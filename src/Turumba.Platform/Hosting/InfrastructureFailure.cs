using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StackExchange.Redis;

namespace Turumba.Platform.Hosting;

/// <summary>
/// Tells a blip of PostgreSQL or Redis (a restart, a failover, a killed backend, a timeout) from a
/// fault in the work itself: the first is worth waiting out and trying again, the second is not.
/// </summary>
public static class InfrastructureFailure
{
    public static bool IsTransient(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case PostgresException postgres:
                    return postgres.IsTransient || IsTransientSqlState(postgres.SqlState);
                case NpgsqlException:
                    // Not an error the server reported: the connection broke, could not be opened, or timed out.
                    return true;
                case RedisException or TimeoutException or SocketException:
                    return true;
                case DbUpdateException or InvalidOperationException or AggregateException:
                    // Wrappers (EF's save, a faulted task): what they wrap decides.
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    // Connection exceptions, insufficient resources, operator intervention (admin/crash shutdown,
    // cannot connect now), serialization failures and deadlocks: all gone on a later try.
    private static bool IsTransientSqlState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57P", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;
}
