using Npgsql;

namespace Turumba.IntegrationTests.Outbox.Support;

/// <summary>
/// A migrated database and a RabbitMQ virtual host of their own for one fixture, so that no other
/// host of the run (the shared <see cref="TestServices.App"/> delivers outboxes too) touches its outbox.
/// </summary>
public sealed class MessagingEnvironment : IAsyncDisposable
{
    private MessagingEnvironment(string postgres, string rabbitMq, string vhost)
    {
        Postgres = postgres;
        RabbitMq = rabbitMq;
        VirtualHost = vhost;
    }

    public string Postgres { get; }

    public string RabbitMq { get; }

    private string VirtualHost { get; }

    public static async Task<MessagingEnvironment> CreateAsync(string purpose)
    {
        var postgres = await TestDatabase.CreateAsync(TestServices.AdminPostgres, purpose);
        await TestDatabase.MigrateAsync(postgres);
        await using (var connection = new NpgsqlConnection(postgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand(
                """
                create schema messaging_test;
                create table messaging_test.side_effects (message_id uuid not null, run_id uuid not null);
                create table messaging_test.counter_state (
                    correlation_id uuid primary key, current_state varchar(64) not null, count integer not null, sum integer not null);
                create table messaging_test.guarded_counter_state (
                    correlation_id uuid primary key, current_state varchar(64) not null, count integer not null, sum integer not null);
                """, connection);
            await create.ExecuteNonQueryAsync();
        }

        var vhost = new NpgsqlConnectionStringBuilder(postgres).Database!;
        var rabbitMq = await TestVirtualHost.CreateAsync(TestServices.AdminRabbitMq, vhost);
        return new MessagingEnvironment(postgres, rabbitMq, vhost);
    }

    /// <summary>The same virtual host on a port nothing listens on: a broker that is down.</summary>
    public string UnreachableRabbitMq => new UriBuilder(RabbitMq) { Port = HostProcess.FreePort() }.Uri.ToString();

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<string>> BodiesAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var bodies = new List<string>();
        while (await reader.ReadAsync())
        {
            bodies.Add(reader.GetString(0));
        }

        return bodies;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await TestDatabase.DropAsync(TestServices.AdminPostgres, Postgres);
        await TestVirtualHost.DeleteAsync(TestServices.AdminRabbitMq, VirtualHost);
    }
}
