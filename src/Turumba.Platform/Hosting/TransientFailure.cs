using System.Net.Sockets;
using Npgsql;
using StackExchange.Redis;

namespace Turumba.Platform.Hosting;

/// <summary>
/// Whether an exception says the infrastructure (PostgreSQL, Redis, RabbitMQ, the network) is away
/// for now, rather than that our code is wrong: the first is waited out, the second stops a service.
/// </summary>
public static class TransientFailure
{
    public static bool Is(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(Is);
            }

            if (IsTransientItself(ex))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTransientItself(Exception ex) => ex switch
    {
        PostgresException postgres => postgres.IsTransient || IsTransientSqlState(postgres.SqlState),
        NpgsqlException or RedisException or TimeoutException or SocketException or IOException or HttpRequestException => true,
        MassTransit.ConnectionException or MassTransit.RequestTimeoutException => true,
        // Npgsql reports a connection that broke under a command ("Connection is not open") this way.
        InvalidOperationException when ex.Source == "Npgsql" => true,
        _ => false,
    };

    // What the server says of itself rather than of the statement: connection exceptions (08),
    // transaction rollbacks such as deadlocks and serialization failures (40), insufficient
    // resources (53), operator intervention — admin shutdown, cannot connect now, statement
    // timeout — (57), system errors (58), a lock not available (55P03). Everything else (syntax,
    // a missing table, bad data, a constraint) is the statement's fault and retrying cannot help.
    private static bool IsTransientSqlState(string sqlState) =>
        sqlState[..2] is "08" or "40" or "53" or "57" or "58" || sqlState == PostgresErrorCodes.LockNotAvailable;
}
