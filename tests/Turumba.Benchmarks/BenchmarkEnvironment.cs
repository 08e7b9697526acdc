using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Turumba.Host;
using Turumba.Platform;
using Turumba.Platform.Persistence;

namespace Turumba.Benchmarks;

/// <summary>
/// A throwaway migrated database and RabbitMQ virtual host next to the configured ones
/// (ConnectionStrings__* as <c>build/infra.sh up</c> prints them), so no running instance
/// delivers the benchmark's outbox and nothing is left behind.
/// </summary>
internal sealed class BenchmarkEnvironment : IAsyncDisposable
{
    private const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=turumba;Password=turumba;Database=turumba";
    private const string DefaultRabbitMq = "amqp://turumba:turumba@127.0.0.1:5672/";

    private readonly string _adminPostgres;
    private readonly string _adminRabbitMq;
    private readonly string _name;
    private readonly bool _ownVirtualHost;

    private BenchmarkEnvironment(string adminPostgres, string adminRabbitMq, string name, bool ownVirtualHost)
    {
        _adminPostgres = adminPostgres;
        _adminRabbitMq = adminRabbitMq;
        _name = name;
        _ownVirtualHost = ownVirtualHost;
        Postgres = new NpgsqlConnectionStringBuilder(adminPostgres) { Database = name, MaxPoolSize = 50 }.ConnectionString;
        RabbitMq = ownVirtualHost ? new UriBuilder(adminRabbitMq) { Path = "/" + name }.Uri.ToString() : adminRabbitMq;
    }

    public string Postgres { get; }

    public string RabbitMq { get; }

    public static string Redis => Environment.GetEnvironmentVariable("ConnectionStrings__Redis") ?? "127.0.0.1:6379";

    /// <param name="ownVirtualHost">
    /// False for a broker of the run's own (the chaos run's node, which has no management API): its
    /// configured virtual host is used as it is.
    /// </param>
    public static async Task<BenchmarkEnvironment> CreateAsync(bool ownVirtualHost = true)
    {
        var adminPostgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? DefaultPostgres;
        var adminRabbitMq = Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq") ?? DefaultRabbitMq;
        var environment = new BenchmarkEnvironment(adminPostgres, adminRabbitMq, $"turumba_bench_{DateTime.UtcNow:yyyyMMddHHmmss}", ownVirtualHost);
        await using (var connection = new NpgsqlConnection(adminPostgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{environment._name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = environment.Postgres })
            .Build();
        await using (var provider = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddTurumbaDatabaseOnly(configuration, TurumbaModules.Catalog, typeof(TurumbaModules).Assembly)
            .BuildServiceProvider())
        {
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        }

        if (!ownVirtualHost)
        {
            return environment;
        }

        using var http = Management(adminRabbitMq, out var user);
        (await http.PutAsync($"api/vhosts/{environment._name}", Json("{}"))).EnsureSuccessStatusCode();
        (await http.PutAsync($"api/permissions/{environment._name}/{Uri.EscapeDataString(user)}",
            Json("{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}"))).EnsureSuccessStatusCode();
        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(_adminPostgres))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists \"{_name}\" with (force)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (!_ownVirtualHost)
        {
            return;
        }

        using var http = Management(_adminRabbitMq, out _);
        using var response = await http.DeleteAsync($"api/vhosts/{_name}");
    }

    private static HttpClient Management(string amqpUri, out string user)
    {
        var uri = new Uri(amqpUri);
        var credentials = Uri.UnescapeDataString(uri.UserInfo);
        user = credentials.Split(':')[0];
        var http = new HttpClient { BaseAddress = new Uri($"http://{uri.Host}:15672/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
