using Npgsql;

namespace Turumba.IntegrationTests;

/// <summary>
/// Once per test run: gets PostgreSQL, RabbitMQ and Redis (containers when a Docker engine is
/// reachable, else the local services ./build.sh test starts; see <see cref="TestInfrastructure"/>),
/// creates a fresh migrated database for the run and drops it after.
/// </summary>
[SetUpFixture]
public sealed class TestServices
{
    private static readonly string[] Variables = ["ConnectionStrings__Postgres", "ConnectionStrings__RabbitMq", "ConnectionStrings__Redis"];
    private static TurumbaApp? _app;
    private static TestInfrastructure? _infrastructure;

    public static string AdminPostgres { get; private set; } = string.Empty;

    /// <summary>The run's own database, already migrated.</summary>
    public static string Postgres { get; private set; } = string.Empty;

    public static string AdminRabbitMq { get; private set; } = string.Empty;

    /// <summary>The run's own virtual host.</summary>
    public static string RabbitMq { get; private set; } = string.Empty;

    public static string Redis { get; private set; } = string.Empty;

    /// <summary>A host with every role, shared by the tests that only need the API.</summary>
    public static TurumbaApp App => _app ??= new TurumbaApp();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _infrastructure = await TestInfrastructure.StartAsync(Require);
        await TestContext.Progress.WriteLineAsync($"Integration tests use {_infrastructure.Source} for PostgreSQL, RabbitMQ and Redis.");
        AdminPostgres = _infrastructure.Postgres;
        AdminRabbitMq = _infrastructure.RabbitMq;
        Redis = _infrastructure.Redis;

        Postgres = await TestDatabase.CreateAsync(AdminPostgres, "run");
        await TestDatabase.MigrateAsync(Postgres);
        RabbitMq = await TestVirtualHost.CreateAsync(AdminRabbitMq, new Npgsql.NpgsqlConnectionStringBuilder(Postgres).Database!);
        // Hosts get the run's services explicitly (TurumbaApp settings, HostProcess environment);
        // the variables pointing at the shared services would otherwise override a test's choice.
        foreach (var variable in Variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await TestDatabase.DropAsync(AdminPostgres, Postgres);
        await TestVirtualHost.DeleteAsync(AdminRabbitMq, new Npgsql.NpgsqlConnectionStringBuilder(Postgres).Database!);
        Environment.SetEnvironmentVariable("ConnectionStrings__Postgres", AdminPostgres);
        Environment.SetEnvironmentVariable("ConnectionStrings__RabbitMq", AdminRabbitMq);
        Environment.SetEnvironmentVariable("ConnectionStrings__Redis", Redis);
        if (_infrastructure is not null)
        {
            await _infrastructure.DisposeAsync();
        }
    }

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set. Integration tests run against real PostgreSQL, RabbitMQ and Redis: " +
                "run ./build.sh test, which starts them, or set ConnectionStrings__Postgres, ConnectionStrings__RabbitMq and ConnectionStrings__Redis.");
}
