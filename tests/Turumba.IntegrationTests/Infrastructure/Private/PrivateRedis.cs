using System.Diagnostics;
using System.Net.Sockets;

namespace Turumba.IntegrationTests;

/// <summary>A Redis server of one test's own on a free port, without persistence: a restart loses its data, as the outage does.</summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private readonly int _port = HostProcess.FreePort();
    private Process? _server;

    public string ConnectionString => $"127.0.0.1:{_port}";

    public static async Task<PrivateRedis> CreateAsync()
    {
        var redis = new PrivateRedis();
        await redis.StartServerAsync();
        return redis;
    }

    public async Task RestartAsync(TimeSpan downFor)
    {
        await StopAsync();
        await Task.Delay(downFor);
        await StartAsync();
    }

    public Task StopAsync() => StopServerAsync();

    public Task StartAsync() => StartServerAsync();

    public async ValueTask DisposeAsync() => await StopServerAsync();

    private async Task StartServerAsync()
    {
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(argument);
        }

        _server = Process.Start(info) ?? throw new InvalidOperationException("Could not start redis-server.");
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        await Eventually.WaitAsync(() => Task.FromResult(Accepts(_port)), TimeSpan.FromSeconds(30), $"a private Redis on port {_port}");
    }

    private async Task StopServerAsync()
    {
        if (_server is null)
        {
            return;
        }

        _server.Kill();
        await _server.WaitForExitAsync();
        _server.Dispose();
        _server = null;
    }

    internal static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
