using Npgsql;

namespace Turumba.IntegrationTests;

/// <summary>
/// A migrated database and a RabbitMQ virtual host of a fixture's own. Needed wherever a test
/// watches the broker: any host on a shared database would deliver that database's outbox rows
/// to its own virtual host.
/// </summary>
public sealed class IsolatedServices : IAsyncDisposable
{
    private readonly string _vhost;

    private IsolatedServices(string postgres, string rabbitMq, string vhost)
    {
        Postgres = postgres;
        RabbitMq = rabbitMq;
        _vhost = vhost;
    }

    public string Postgres { get; }

    public string RabbitMq { get; }

    /// <summary>The RabbitMQ virtual host's name (as the management API takes it).</summary>
    public string VirtualHost => _vhost;

    public Dictionary<string, string?> Settings => new()
    {
        ["ConnectionStrings:Postgres"] = Postgres,
        ["ConnectionStrings:RabbitMq"] = RabbitMq,
    };

    public static async Task<IsolatedServices> CreateAsync(string purpose)
    {
        var postgres = await TestDatabase.CreateAsync(TestServices.AdminPostgres, purpose);
        await TestDatabase.MigrateAsync(postgres);
        var vhost = new NpgsqlConnectionStringBuilder(postgres).Database!;
        return new IsolatedServices(postgres, await TestVirtualHost.CreateAsync(TestServices.AdminRabbitMq, vhost), vhost);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await TestDatabase.DropAsync(TestServices.AdminPostgres, Postgres);
        await TestVirtualHost.DeleteAsync(TestServices.AdminRabbitMq, _vhost);
    }
}
