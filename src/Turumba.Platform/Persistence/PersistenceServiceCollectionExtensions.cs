using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turumba.Outbox;

namespace Turumba.Platform.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    public const string Schema = "platform";
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    /// <summary>
    /// Registers the shared <see cref="NpgsqlDataSource"/> (for hot paths that bypass EF) and the
    /// composed <see cref="TurumbaDbContext"/>.
    /// </summary>
    public static IServiceCollection AddTurumbaPersistence(
        this IServiceCollection services, IConfiguration configuration, Assembly migrationsAssembly)
    {
        var connectionString = ConnectionStrings.Require(configuration, ConnectionStrings.Postgres);
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddDbContext<TurumbaDbContext>((sp, options) =>
            ConfigureDbContext(options, sp.GetRequiredService<NpgsqlDataSource>(), migrationsAssembly));
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }

    public static DbContextOptionsBuilder ConfigureDbContext(
        DbContextOptionsBuilder options, NpgsqlDataSource dataSource, Assembly migrationsAssembly) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql
                .MigrationsAssembly(migrationsAssembly.GetName().Name)
                .MigrationsHistoryTable(MigrationsHistoryTable, Schema))
            .UseSnakeCaseNamingConvention()
            .UseTurumbaOutbox();
}
