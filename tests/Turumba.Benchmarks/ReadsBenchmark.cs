using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Turumba.Simulator;

namespace Turumba.Benchmarks;

/// <summary>
/// Reads through the API of the real host (<c>--roles all</c>, child process), each for a fixed
/// time with 32 concurrent clients after a warm-up: <c>GET /health/live</c> (the baseline: the same
/// server, no authentication, no database), a channel by id, a message by id, and a filtered,
/// sorted message list of 50. Prints each one's rate and p50/p99 beside the baseline and the
/// ratio (issue 18 asks for ≥ 0.5 by id and ≥ 0.25 for a filtered list).
/// </summary>
internal static class ReadsBenchmark
{
    private const int Clients = 32;

    public static async Task RunAsync(BenchmarkEnvironment environment, int seconds)
    {
        await using var simulator = await SimulatorHost.StartAsync();
        var port = SingleSendBenchmark.FreePort();
        using var host = SingleSendBenchmark.StartHost(environment, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await SingleSendBenchmark.WaitForReadyAsync(http, host);
        http.DefaultRequestHeaders.Add("X-Api-Key", await SingleSendBenchmark.CreateAccountAsync(environment));
        var channel = await SingleSendBenchmark.CreateChannelAsync(http, simulator);

        Console.WriteLine("Posting 2,000 messages to read back ...");
        var message = Guid.Empty;
        for (var i = 0; i < 2_000; i++)
        {
            using var posted = await http.PostAsJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = $"{100000 + i}", message_body = $"Read me {i}" });
            posted.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await posted.Content.ReadAsStringAsync());
            message = body.RootElement.GetProperty("data").GetProperty("id").GetGuid();
        }

        var reads = new (string Name, string Path)[]
        {
            ("GET /health/live (baseline)", "/health/live"),
            ("GET /v1/channels/{id}", $"/v1/channels/{channel}"),
            ("GET /v1/messages/{id}", $"/v1/messages/{message}"),
            ("GET /v1/messages?filter&sort (50)", $"/v1/messages?filter=channel_id:eq:{channel}&filter=status:eq:sent&sort=created_at:desc&limit=50"),
        };

        Console.WriteLine($"Each read for {seconds} s with {Clients} concurrent clients after a 2 s warm-up ...");
        Console.WriteLine();
        double? baseline = null;
        foreach (var (name, path) in reads)
        {
            await LoadAsync(http, path, TimeSpan.FromSeconds(2));
            var cpu = CpuMeter.Start(host);
            var (rate, latencies) = await LoadAsync(http, path, TimeSpan.FromSeconds(seconds));
            cpu.Stop();
            baseline ??= rate;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-36} {rate,8:F0} req/s  p50/p99 {SingleSendBenchmark.Percentile(latencies, 50),5:F1} / {SingleSendBenchmark.Percentile(latencies, 99),5:F1} ms  ratio {rate / baseline.Value:F2}"));
            Console.Write("    ");
            cpu.Print(latencies.Count, "requests");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host peak memory (VmHWM): {SingleSendBenchmark.PeakMemoryMiB(host),8:F0} MiB"));
        host.Kill(entireProcessTree: true);
    }

    private static async Task<(double Rate, List<double> LatenciesMs)> LoadAsync(HttpClient http, string path, TimeSpan duration)
    {
        var latencies = new List<double>[Clients];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            var mine = latencies[client] = [];
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).ToList();
        return (all.Count / clock.Elapsed.TotalSeconds, all);
    }
}
