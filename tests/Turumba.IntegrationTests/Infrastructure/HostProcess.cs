using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Turumba.IntegrationTests;

/// <summary>The real <c>Turumba.Host</c> executable as a child process, as an operator runs it.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the host with <paramref name="roles"/> on a free port and waits until <c>/health/ready</c> answers 200 (its queues then exist).</summary>
    public static async Task<HostProcess> StartReadyAsync(string roles, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var port = FreePort();
        var host = Start(["--roles", roles, "--urls", $"http://127.0.0.1:{port}"], environment);
        host.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        await Eventually.WaitAsync(async () =>
        {
            Assert.That(host.HasExited, Is.False, host.Output);
            try
            {
                using var response = await http.GetAsync("/health/ready");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), $"the host with roles {roles} to be ready", () => host.Output);
        return host;
    }

    public static HostProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ConnectionStrings__Postgres"] = TestServices.Postgres;
        info.Environment["ConnectionStrings__RabbitMq"] = TestServices.RabbitMq;
        info.Environment["ConnectionStrings__Redis"] = TestServices.Redis;
        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        return new HostProcess(Process.Start(info) ?? throw new InvalidOperationException("Could not start Turumba.Host."));
    }

    /// <summary>Runs the host to completion and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Where a host started with <see cref="StartReadyAsync"/> listens.</summary>
    public Uri? BaseAddress { get; private set; }

    /// <summary>Asks the process to stop (SIGTERM), as a supervisor or Ctrl-C does.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Ends the process at once, as a crash or an OOM kill would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    // The host is built next to the tests (project reference), with its runtimeconfig.
    private static string HostDll => Path.Combine(AppContext.BaseDirectory, "Turumba.Host.dll");
}
