using Npgsql;
using StackExchange.Redis;

namespace Turumba.IntegrationTests.Resilience;

/// <summary>The private servers the outage tests restart really go away and come back.</summary>
[TestFixture]
public sealed class PrivateServicesTests
{
    [Test]
    public async Task A_private_postgres_serves_again_after_a_restart()
    {
        await using var postgres = await PrivatePostgres.CreateAsync();
        var database = await postgres.CreateMigratedDatabaseAsync("private");
        Assert.That(await CountTablesAsync(database), Is.GreaterThan(5));

        await postgres.RestartAsync(TimeSpan.FromSeconds(1));
        // Pooled sessions died with the server; new ones work.
        NpgsqlConnection.ClearAllPools();
        Assert.That(await CountTablesAsync(database), Is.GreaterThan(5));
    }

    [Test]
    public async Task A_private_redis_loses_its_data_on_restart()
    {
        await using var redis = await PrivateRedis.CreateAsync();
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            await connection.GetDatabase().StringSetAsync("k", "v");
        }

        await redis.RestartAsync(TimeSpan.Zero);
        await using var again = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        Assert.That((await again.GetDatabase().StringGetAsync("k")).HasValue, Is.False);
    }

    [Test]
    public async Task A_private_rabbitmq_drops_its_connections_on_stop_app_and_takes_new_ones_after_start_app()
    {
        await using var broker = await PrivateRabbitMq.CreateAsync();
        var uri = new Uri(broker.ConnectionString);
        Assert.That(PrivateRedis.Accepts(uri.Port), Is.True);

        await broker.RestartAsync(TimeSpan.Zero);
        Assert.That(PrivateRedis.Accepts(uri.Port), Is.True);
    }

    private static async Task<long> CountTablesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from information_schema.tables where table_schema = 'messaging'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
