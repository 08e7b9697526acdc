using System.Diagnostics;

namespace Turumba.IntegrationTests;

/// <summary>
/// A RabbitMQ node of one test's own (its own node name, ports and data directory), so the test can
/// stop and start it (<c>rabbitmqctl stop_app</c> / <c>start_app</c>) without touching the broker every
/// other test uses. No plugins; the default guest user, which RabbitMQ allows on loopback.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    private const string User = "rabbitmq";
    private const string Bin = "/usr/lib/rabbitmq/bin";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly string _directory;
    private readonly int _port = HostProcess.FreePort();
    private readonly int _distributionPort = HostProcess.FreePort();
    private readonly string _node;
    private readonly System.Text.StringBuilder _output = new();
    private Process? _server;

    private PrivateRabbitMq(string directory)
    {
        _directory = directory;
        _node = $"turumba-test-{_port}@localhost";
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{_port}/";

    public static async Task<PrivateRabbitMq> CreateAsync()
    {
        var broker = new PrivateRabbitMq(ServiceProcess.CreateDirectory(User, "mq"));
        await File.WriteAllTextAsync($"{broker._directory}/enabled_plugins", "[].");
        var info = ServiceProcess.Info(User, $"{Bin}/rabbitmq-server", [], broker.Environment());
        broker._server = Process.Start(info) ?? throw new InvalidOperationException("Could not start rabbitmq-server.");
        broker._server.OutputDataReceived += (_, e) => broker.Append(e.Data);
        broker._server.ErrorDataReceived += (_, e) => broker.Append(e.Data);
        broker._server.BeginOutputReadLine();
        broker._server.BeginErrorReadLine();
        // await_startup needs the node to have registered with epmd, which takes a few seconds of boot.
        await Eventually.WaitAsync(async () =>
        {
            Assert.That(broker._server.HasExited, Is.False, broker.Output);
            try
            {
                await broker.ControlAsync("await_startup", "--timeout", "10");
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }, CommandTimeout, $"the private RabbitMQ node {broker._node} to start", () => broker.Output);
        return broker;
    }

    /// <summary>Stops the broker application (every connection drops), waits, and starts it again.</summary>
    public async Task RestartAsync(TimeSpan downFor)
    {
        await StopAsync();
        await Task.Delay(downFor);
        await StartAsync();
    }

    /// <summary>Stops the broker application; every connection drops and new ones are refused.</summary>
    public Task StopAsync() => ControlAsync("stop_app");

    public Task StartAsync() => ControlAsync("start_app");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ControlAsync("stop");
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            _server?.Kill(entireProcessTree: true);
        }

        if (_server is not null)
        {
            await _server.WaitForExitAsync();
            _server.Dispose();
        }

        ServiceProcess.RemoveDirectory(_directory);
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private Task ControlAsync(params string[] arguments) =>
        ServiceProcess.RunAsync(ServiceProcess.Info(User, $"{Bin}/rabbitmqctl", ["-n", _node, .. arguments], Environment()), CommandTimeout);

    private Dictionary<string, string> Environment() => new()
    {
        ["HOME"] = ServiceProcess.IsRoot ? "/var/lib/rabbitmq" : System.Environment.GetEnvironmentVariable("HOME") ?? _directory,
        ["RABBITMQ_NODENAME"] = _node,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = _distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_MNESIA_BASE"] = $"{_directory}/mnesia",
        ["RABBITMQ_LOG_BASE"] = $"{_directory}/log",
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = $"{_directory}/enabled_plugins",
        ["RABBITMQ_PID_FILE"] = $"{_directory}/rabbit.pid",
        ["RABBITMQ_CONFIG_FILE"] = $"{_directory}/rabbitmq",
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = $"{_directory}/advanced.config",
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
    };
}
