using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Turumba.Simulator;

namespace Turumba.Benchmarks;

/// <summary>
/// <c>POST /v1/messages/batch</c> on the real host (<c>--roles all</c>, child process) with the simulator
/// at zero latency: N messages in batches of 1000 from a few concurrent clients. Reports the accepted
/// rate (messages / time until every batch was answered) and the all-sent rate (until every message is
/// out of queued/sending), beside the same run's baseline: a group send of N contacts on the same host
/// (its fan-out rate and its all-sent rate), and the ratios; also the host's peak memory and CPU seconds per 1,000 messages.
/// </summary>
internal static class BatchSendBenchmark
{
    private const int BatchSize = 1000;

    public static async Task RunAsync(BenchmarkEnvironment environment, int messages, int clients, bool keys)
    {
        await using var simulator = await SimulatorHost.StartAsync();
        var port = SingleSendBenchmark.FreePort();
        using var host = SingleSendBenchmark.StartHost(environment, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        await SingleSendBenchmark.WaitForReadyAsync(http, host);
        http.DefaultRequestHeaders.Add("X-Api-Key", await SingleSendBenchmark.CreateAccountAsync(environment));
        var channel = await SingleSendBenchmark.CreateChannelAsync(http, simulator);
        await using var connection = new NpgsqlConnection(environment.Postgres);
        await connection.OpenAsync();
        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");

        Console.WriteLine($"Warming up with {BatchSize} messages, then {messages} in batches of {BatchSize} from {clients} concurrent clients (per-item idempotency keys {(keys ? "on" : "off")}) ...");
        await SendAsync(http, connection, channel, BatchSize, clients, keys, "warm");
        var cpuBefore = CpuMeter.ProcessSeconds(host.Id);
        var (accepted, allSent) = await SendAsync(http, connection, channel, messages, clients, keys, "run");
        var batchCpu = CpuMeter.ProcessSeconds(host.Id) - cpuBefore;
        var load = File.ReadAllText("/proc/loadavg").Trim();

        Console.WriteLine($"Baseline: a group send of {messages} contacts on the same host ...");
        var group = await GroupSendRun.ImportGroupAsync(http, "baseline", messages, GroupSendRun.TelegramContact);
        cpuBefore = CpuMeter.ProcessSeconds(host.Id);
        var (_, fanOut, groupSent) = await GroupSendRun.QueueAndWaitAsync(http, connection, new
        {
            channel_id = channel, contact_group_ids = new[] { group }, message_body = "Selam {FIRST_NAME}, your order is ready.", status = "queued",
        }, messages);
        var groupCpu = CpuMeter.ProcessSeconds(host.Id) - cpuBefore;
        var peak = SingleSendBenchmark.PeakMemoryMiB(host);

        double Rate(TimeSpan t) => messages / t.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch accepted:            {Rate(accepted),8:F0} msg/s ({messages} in {accepted.TotalSeconds:F1} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"group fan-out (baseline):  {Rate(fanOut),8:F0} msg/s ({fanOut.TotalSeconds:F1} s)   ratio {fanOut / accepted:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch all sent:            {Rate(allSent),8:F0} msg/s ({allSent.TotalSeconds:F1} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"group all sent (baseline): {Rate(groupSent),8:F0} msg/s ({groupSent.TotalSeconds:F1} s)   ratio {groupSent / allSent:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host CPU per 1,000 msgs:   {batchCpu * 1000 / messages,8:F2} s batch, {groupCpu * 1000 / messages:F2} s group send"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host peak memory (VmHWM):  {peak,8:F0} MiB"));
        Console.WriteLine($"load average after the batches: {load}; at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
        host.Kill(entireProcessTree: true);
    }

    /// <summary>Posts <paramref name="messages"/> in batches from <paramref name="clients"/> clients; the time until all were answered, and until all were sent.</summary>
    private static async Task<(TimeSpan Accepted, TimeSpan AllSent)> SendAsync(
        HttpClient http, NpgsqlConnection connection, Guid channel, int messages, int clients, bool keys, string tag)
    {
        var batches = (messages + BatchSize - 1) / BatchSize;
        var ids = new Guid[messages];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches)
            {
                var first = b * BatchSize;
                var items = Enumerable.Range(first, Math.Min(BatchSize, messages - first)).Select(i => new
                {
                    channel_id = channel,
                    delivery_address = $"{200000 + i}",
                    message_body = $"Batch message {i}",
                    idempotency_key = keys ? $"{tag}-{i}" : null,
                }).ToList();
                using var response = await http.PostAsJsonAsync("/v1/messages/batch", new { messages = items }, Options);
                response.EnsureSuccessStatusCode();
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var slot = first;
                foreach (var result in body.RootElement.GetProperty("data").GetProperty("results").EnumerateArray())
                {
                    ids[slot++] = result.GetProperty("id").GetGuid();
                }
            }
        }));
        var accepted = clock.Elapsed;
        while (true)
        {
            await using var count = new NpgsqlCommand("select count(*) from messaging.messages where id = any($1) and status not in ('queued', 'sending')", connection);
            count.Parameters.Add(new NpgsqlParameter { Value = ids });
            if ((long)(await count.ExecuteScalarAsync())! == messages)
            {
                return (accepted, clock.Elapsed);
            }

            await Task.Delay(20);
        }
    }

    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
}
