using System.Net.Sockets;
using DotNet.Testcontainers.Containers;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;
using Testcontainers.Redis;

namespace Turumba.IntegrationTests;

/// <summary>
/// Where the run's PostgreSQL, RabbitMQ and Redis come from. With a reachable Docker engine
/// (<c>DOCKER_HOST</c>, or the default socket) they are throwaway containers; otherwise they are the
/// local services <c>build/infra.sh</c> starts, named by <c>ConnectionStrings__*</c>.
/// <c>TURUMBA_TEST_SERVICES=local|containers</c> forces one. The tests are the same either way.
/// </summary>
internal sealed class TestInfrastructure : IAsyncDisposable
{
    private const string ManagementUrlVariable = "TURUMBA_RABBITMQ_MANAGEMENT_URL";
    private readonly IReadOnlyList<IContainer> _containers;

    private TestInfrastructure(string source, string postgres, string rabbitMq, string redis, IReadOnlyList<IContainer> containers)
    {
        Source = source;
        Postgres = postgres;
        RabbitMq = rabbitMq;
        Redis = redis;
        _containers = containers;
    }

    /// <summary><c>containers</c> or <c>local services</c>, for the run's log.</summary>
    public string Source { get; }

    public string Postgres { get; }

    public string RabbitMq { get; }

    public string Redis { get; }

    public static async Task<TestInfrastructure> StartAsync(Func<string, string> local)
    {
        var choice = Environment.GetEnvironmentVariable("TURUMBA_TEST_SERVICES") ?? "auto";
        var containers = choice switch
        {
            "containers" => true,
            "local" => false,
            "auto" => await DockerIsReachableAsync(),
            _ => throw new InvalidOperationException($"TURUMBA_TEST_SERVICES must be auto, local or containers, not '{choice}'."),
        };
        return containers
            ? await StartContainersAsync()
            : new TestInfrastructure("local services", local("ConnectionStrings__Postgres"), local("ConnectionStrings__RabbitMq"), local("ConnectionStrings__Redis"), []);
    }

    private static async Task<TestInfrastructure> StartContainersAsync()
    {
        var postgres = new PostgreSqlBuilder("postgres:15-alpine").Build();
        var rabbitMq = new RabbitMqBuilder("rabbitmq:3.13-management-alpine").WithPortBinding(15672, assignRandomHostPort: true).Build();
        var redis = new RedisBuilder("redis:7-alpine").Build();
        IContainer[] all = [postgres, rabbitMq, redis];
        await Task.WhenAll(all.Select(c => c.StartAsync()));
        // TestVirtualHost makes a virtual host per run through the management API.
        Environment.SetEnvironmentVariable(ManagementUrlVariable, $"http://{rabbitMq.Hostname}:{rabbitMq.GetMappedPublicPort(15672)}/");
        return new TestInfrastructure("containers", postgres.GetConnectionString(), rabbitMq.GetConnectionString(), redis.GetConnectionString(), all);
    }

    // Asks the engine itself (GET /_ping): a socket file or a variable alone does not mean an engine answers.
    private static async Task<bool> DockerIsReachableAsync()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } configured ? configured : "unix:///var/run/docker.sock";
        var uri = new Uri(host);
        if (uri.Scheme == "unix" && !File.Exists(uri.AbsolutePath))
        {
            return false;
        }

        var handler = new SocketsHttpHandler();
        if (uri.Scheme == "unix")
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(uri.AbsolutePath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }

        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            var ping = uri.Scheme == "unix" ? new Uri("http://docker/_ping") : new UriBuilder("http", uri.Host, uri.Port, "_ping").Uri;
            return (await http.GetAsync(ping)).IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await container.DisposeAsync();
        }
    }
}
