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

    // SQLSTATE classes that say the statement or the schema is wrong: retrying cannot help.
    private static readonly string[] PermanentSqlStateClasses = ["0A", "22", "23", "3F", "42"];

    private static bool IsTransientItself(Exception ex) => ex switch
    {
        PostgresException postgres => !PermanentSqlStateClasses.Contains(postgres.SqlState[..2]),
        NpgsqlException or RedisException or TimeoutException or SocketException or IOException => true,
        MassTransit.ConnectionException or MassTransit.RequestTimeoutException => true,
        // Npgsql reports a connection that broke under a command ("Connection is not open") this way.
        InvalidOperationException when ex.Source == "Npgsql" => true,
        _ => false,
    };
}
