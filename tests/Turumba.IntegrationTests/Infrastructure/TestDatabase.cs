using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Turumba.Host;
using Turumba.Platform;
using Turumba.Platform.Persistence;

namespace Turumba.IntegrationTests;

/// <summary>Creates, migrates and drops throwaway databases next to the configured one.</summary>
public static class TestDatabase
{
    public static async Task<string> CreateAsync(string adminConnectionString, string purpose)
    {
        var name = $"turumba_test_{purpose}_{DateTime.UtcNow:yyyyMMddHHmmss}_{Guid.NewGuid().ToString("N")[..6]}";
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    public static async Task DropAsync(string adminConnectionString, string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
        // An autovacuum worker on the database can only be ended with pg_signal_backend
        // (build/infra.sh grants it); elsewhere it finishes within moments, so try again briefly.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }

    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connectionString })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddTurumbaDatabaseOnly(configuration, TurumbaModules.Catalog, typeof(Program).Assembly);
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
    }
}
