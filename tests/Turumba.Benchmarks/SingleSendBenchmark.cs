using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Npgsql;
using Turumba.Simulator;

namespace Turumba.Benchmarks;

public sealed record BaselineMessage(Guid Id, string Address, string Body);

/// <summary>
/// The single-send path end to end: the real <c>Turumba.Host --roles all</c> as a child process,
/// the provider simulator (zero latency) in this process, N messages posted through the HTTP API
/// by concurrent clients, timed until every one is <c>sent</c>. Latency is API accept
/// (created_at) to <c>sent_at</c>. Beside it, in the same run, the RabbitMQ-only baseline: plain
/// MassTransit send + consume of a message of the same size.
/// </summary>
internal static class SingleSendBenchmark
{
    private const int Clients = 16;

    public static async Task RunAsync(BenchmarkEnvironment environment, int messages)
    {
        await using var simulator = await SimulatorHost.StartAsync();
        var port = FreePort();
        using var host = StartHost(environment, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitForReadyAsync(http, host);
        var key = await CreateAccountAsync(environment);
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var channel = await CreateChannelAsync(http, simulator);

        Console.WriteLine($"Warming up, then sending {messages} messages through the API with {Clients} concurrent clients ...");
        await SendAsync(http, channel, 500, environment);
        var cpu = CpuMeter.Start(host);
        var (elapsed, latencies) = await SendAsync(http, channel, messages, environment);
        cpu.Stop();
        var baseline = await BaselineAsync(environment, messages);
        var peak = PeakMemoryMiB(host);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"API → sent:                  {messages / elapsed.TotalSeconds,10:F0} msg/s ({messages} in {elapsed.TotalSeconds:F1} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accept → sent p50/p95/p99:   {Percentile(latencies, 50),6:F0} / {Percentile(latencies, 95):F0} / {Percentile(latencies, 99):F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RabbitMQ send+consume only:  {baseline,10:F0} msg/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host peak memory (VmHWM):    {peak,10:F0} MiB"));
        cpu.Print(messages);
        host.Kill(entireProcessTree: true);
    }

    private static async Task<(TimeSpan Elapsed, List<double> LatenciesMs)> SendAsync(HttpClient http, Guid channel, int messages, BenchmarkEnvironment environment)
    {
        var clock = Stopwatch.StartNew();
        var ids = new Guid[messages];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < messages)
            {
                using var response = await http.PostAsJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = $"{100000 + i}", message_body = $"Benchmark message {i}" });
                response.EnsureSuccessStatusCode();
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                ids[i] = body.RootElement.GetProperty("data").GetProperty("id").GetGuid();
            }
        }));

        await using var connection = new NpgsqlConnection(environment.Postgres);
        await connection.OpenAsync();
        while (true)
        {
            await using var count = new NpgsqlCommand("select count(*) from messaging.messages where id = any($1) and status in ('sent', 'permanently_failed', 'failed')", connection);
            count.Parameters.Add(new NpgsqlParameter { Value = ids });
            if ((long)(await count.ExecuteScalarAsync())! == messages)
            {
                break;
            }

            await Task.Delay(10);
        }

        var elapsed = clock.Elapsed;
        await using var latency = new NpgsqlCommand("select extract(epoch from (sent_at - created_at)) * 1000 from messaging.messages where id = any($1) and sent_at is not null", connection);
        latency.Parameters.Add(new NpgsqlParameter { Value = ids });
        var latencies = new List<double>(messages);
        await using var reader = await latency.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            latencies.Add((double)reader.GetDecimal(0));
        }

        return (elapsed, latencies);
    }

    internal static async Task<double> BaselineAsync(BenchmarkEnvironment environment, int messages)
    {
        var received = 0;
        var done = new TaskCompletionSource();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(environment.RabbitMq));
            cfg.ReceiveEndpoint("benchmark.baseline", e =>
            {
                e.PrefetchCount = 64;
                e.ConcurrentMessageLimit = 32;
                e.Handler<BaselineMessage>(_ =>
                {
                    if (Interlocked.Increment(ref received) == messages)
                    {
                        done.TrySetResult();
                    }

                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync();
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri("queue:benchmark.baseline"));
            var clock = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < messages)
                {
                    await endpoint.Send(new BaselineMessage(Guid.CreateVersion7(), $"{100000 + i}", $"Benchmark message {i}"));
                }
            }));
            await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
            return messages / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    internal static Process StartHost(BenchmarkEnvironment environment, int port, IReadOnlyDictionary<string, string>? settings = null, string roles = "all",
        Action<string>? errorLine = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Turumba.Host.dll"), "--roles", roles, "--urls", $"http://127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(argument);
        }

        Environment(info, environment);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        // With errorLine (the chaos run's log files) the host's console log goes there too; otherwise only stderr is shown.
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) errorLine?.Invoke(e.Data); };
        var error = errorLine ?? Console.Error.WriteLine;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) error(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static async Task<string> CreateAccountAsync(BenchmarkEnvironment environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Turumba.Host.dll"), "accounts", "create", "--name", "benchmark" })
        {
            info.ArgumentList.Add(argument);
        }

        Environment(info, environment);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.TrimEnd().Split('\n')[^1].Trim();
    }

    private static void Environment(ProcessStartInfo info, BenchmarkEnvironment environment)
    {
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__Postgres"] = environment.Postgres;
        info.Environment["ConnectionStrings__RabbitMq"] = environment.RabbitMq;
        info.Environment["ConnectionStrings__Redis"] = BenchmarkEnvironment.Redis;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // Production refuses api_base_url overrides except to listed hosts; the simulator runs here.
        info.Environment["Turumba__Channels__ApiBaseUrlHosts__0"] = "127.0.0.1";
        // Required in Production; a fixed one is fine for a throwaway database.
        info.Environment["Turumba__DataProtection__KeyEncryptionKey"] = "dHVydW1iYS1iZW5jaG1hcmtzLWtleS1lbmNyeXB0aW8=";
    }

    internal static async Task<Guid> CreateChannelAsync(HttpClient http, SimulatorHost simulator, int? rateLimit = null)
    {
        using var response = await http.PostAsJsonAsync("/v1/channels", new
        {
            name = "benchmark bot",
            channel_type = "telegram",
            rate_limit = rateLimit,
            credentials = new Dictionary<string, string> { ["bot_token"] = "7777:AAbenchmark_token_for_the_simulator", ["api_base_url"] = simulator.BaseUrl.ToString() },
        });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("data").GetProperty("id").GetGuid();
    }

    internal static async Task WaitForReadyAsync(HttpClient http, Process host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !host.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException("Turumba.Host did not become ready.");
    }

    internal static double PeakMemoryMiB(Process process)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    internal static double Percentile(List<double> values, int percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[(int)Math.Min(values.Count - 1, Math.Ceiling(percentile / 100.0 * values.Count) - 1)];
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
