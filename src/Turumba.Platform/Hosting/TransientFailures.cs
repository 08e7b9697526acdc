using System.Net.Sockets;
using MassTransit;
using Npgsql;
using StackExchange.Redis;

namespace Turumba.Platform.Hosting;

/// <summary>
/// Whether a failure is the infrastructure's (PostgreSQL, Redis, the broker, a dependency over
/// HTTP unreachable or timing out) and so worth trying again later, rather than the work's own.
/// </summary>
public static class TransientFailures
{
    public static bool Is(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (IsTransientItself(current))
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(Is))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTransientItself(Exception exception) => exception switch
    {
        // A server error is transient only when PostgreSQL says so (shutdown, too many connections,
        // serialization failure); a constraint or data error would fail again.
        PostgresException postgres => postgres.IsTransient,
        NpgsqlException => true,
        // Npgsql's own "Connection is not open" after the server went away.
        InvalidOperationException { Source: "Npgsql" } => true,
        RedisException => true,
        TimeoutException or SocketException or IOException or HttpRequestException => true,
        MassTransit.ConnectionException or RequestTimeoutException => true,
        _ => false,
    };
}
