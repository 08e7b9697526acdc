using Npgsql;

namespace Turumba.IntegrationTests;

/// <summary>
/// A PostgreSQL server of one test's own (a fresh cluster on a free port), so the test can restart
/// it or cut its sessions without touching the server every other test uses.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private const string User = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory;
    private readonly string _bin;
    private readonly int _port;

    private PrivatePostgres(string directory, string bin, int port) => (_directory, _bin, _port) = (directory, bin, port);

    /// <summary>The superuser on the cluster's <c>postgres</c> database (trust authentication on loopback).</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={_port};Username={User};Database=postgres;Pooling=false";

    public static async Task<PrivatePostgres> CreateAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).Last() + "/bin";
        var directory = ServiceProcess.CreateDirectory(User, "pg");
        var server = new PrivatePostgres(directory, bin, HostProcess.FreePort());
        await ServiceProcess.RunAsync(ServiceProcess.Info(User, $"{bin}/initdb", ["-D", $"{directory}/data", "-U", User, "-A", "trust", "--no-sync", "-E", "UTF8"]), CommandTimeout);
        await server.StartServerAsync();
        return server;
    }

    /// <summary>A new migrated database on this server, as the tests' <see cref="TestDatabase"/> makes them.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string purpose)
    {
        var database = await TestDatabase.CreateAsync(AdminConnectionString, purpose);
        await TestDatabase.MigrateAsync(database);
        return new NpgsqlConnectionStringBuilder(database) { Pooling = true }.ConnectionString;
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended) and starts it again.</summary>
    public async Task RestartAsync(TimeSpan downFor)
    {
        await StopAsync();
        await Task.Delay(downFor);
        await StartAsync();
    }

    public Task StopAsync() => StopServerAsync("fast");

    public Task StartAsync() => StartServerAsync();

    /// <summary>Ends every session of <paramref name="database"/>, as a failover or a connection proxy restart would.</summary>
    public async Task<int> TerminateSessionsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await StopServerAsync("immediate");
        }
        finally
        {
            ServiceProcess.RemoveDirectory(_directory);
        }
    }

    private Task StartServerAsync() => ServiceProcess.RunAsync(ServiceProcess.Info(User, $"{_bin}/pg_ctl",
    [
        "-D", $"{_directory}/data", "-l", $"{_directory}/server.log", "-w", "-t", "60",
        "-o", $"-p {_port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start",
    ]), CommandTimeout);

    private Task StopServerAsync(string mode) =>
        ServiceProcess.RunAsync(ServiceProcess.Info(User, $"{_bin}/pg_ctl", ["-D", $"{_directory}/data", "-m", mode, "-w", "stop"]), CommandTimeout);
}
