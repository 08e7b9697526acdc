using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Turumba.Simulator;

namespace Turumba.Benchmarks;

/// <summary>
/// N single schedules due in the same second, created through <c>POST /v1/scheduled-messages</c> of
/// the real host (<c>--roles all</c>, child process) with the simulator (zero latency) in this process.
/// The due second is set far enough ahead that every schedule exists before it. From that second:
/// the time until every run is committed (its message created; before the second when the trigger
/// prepares runs ahead), until p% of the messages are released for dispatch (out of <c>scheduled</c>),
/// until every message is <c>sent</c>, the per-message lag from the due second to <c>sent_at</c>, and
/// the trigger lag (<c>schedule_runs.delay_ms</c>, negative when prepared ahead). Beside it, the
/// RabbitMQ-only baseline of the same run.
/// </summary>
internal static class ScheduleBenchmark
{
    private const int Clients = 16;
    private const int WarmUp = 200;

    // Sampling starts this long before the due second: a figure of about minus this means "before sampling began".
    private static readonly TimeSpan SampledAhead = TimeSpan.FromSeconds(1);

    /// <param name="batchSize">The host's <c>Turumba:Scheduling:BatchSize</c>; null keeps its default.</param>
    /// <param name="lookahead">The host's <c>Turumba:Scheduling:Lookahead</c> in seconds (0: nothing prepared ahead); null keeps its default.</param>
    public static async Task RunAsync(BenchmarkEnvironment environment, int schedules, int? batchSize = null, double? lookahead = null)
    {
        await using var simulator = await SimulatorHost.StartAsync();
        var port = SingleSendBenchmark.FreePort();
        var settings = new Dictionary<string, string>();
        if (batchSize is { } size)
        {
            settings["Turumba__Scheduling__BatchSize"] = size.ToString(CultureInfo.InvariantCulture);
        }

        if (lookahead is { } seconds)
        {
            settings["Turumba__Scheduling__Lookahead"] = TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);
        }

        using var host = SingleSendBenchmark.StartHost(environment, port, settings);
        Console.WriteLine($"Turumba:Scheduling:BatchSize {batchSize?.ToString(CultureInfo.InvariantCulture) ?? "default"}, " +
            $"Lookahead {(lookahead is { } l ? l.ToString(CultureInfo.InvariantCulture) + " s" : "default")}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        await SingleSendBenchmark.WaitForReadyAsync(http, host);
        http.DefaultRequestHeaders.Add("X-Api-Key", await SingleSendBenchmark.CreateAccountAsync(environment));
        var channel = await SingleSendBenchmark.CreateChannelAsync(http, simulator);
        await using var connection = new NpgsqlConnection(environment.Postgres);
        await connection.OpenAsync();

        Console.WriteLine($"Warming up: {WarmUp} schedules through the API, due in 8 s ...");
        var warmUpAt = WholeSecond(DateTimeOffset.UtcNow.AddSeconds(8));
        var rate = await CreateAsync(http, channel, WarmUp, warmUpAt, "warm-up");
        await WaitForAsync(connection, warmUpAt, WarmUp);

        // Posting time at the warm-up rate, plus 10 s (the run itself is faster, warm).
        var due = WholeSecond(DateTimeOffset.UtcNow.AddSeconds((schedules / rate) + 10));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Creating {schedules} schedules through the API ({Clients} clients, warm-up rate {rate:F0}/s), all due at {due:HH:mm:ss} ..."));
        var postRate = await CreateAsync(http, channel, schedules, due, "benchmark");
        var margin = due - DateTimeOffset.UtcNow;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"created at {postRate:F0}/s, {margin.TotalSeconds:F1} s before the due time"));
        if (margin <= TimeSpan.Zero)
        {
            Console.WriteLine("WARNING: the schedules were not all created before their due time; the figures below include the posting.");
        }

        var (created, sent, committed, released) = await WaitForAsync(connection, due, schedules);
        var sentLag = await ReadAsync(connection, """
            select extract(epoch from (m.sent_at - r.occurrence_at))::float8 * 1000
              from scheduling.schedule_runs r join messaging.messages m on m.id = r.message_id
             where r.occurrence_at = $1
            """, due);
        var delays = await ReadAsync(connection, "select delay_ms::float8 from scheduling.schedule_runs where occurrence_at = $1", due);
        var createdLag = await ReadAsync(connection, """
            select extract(epoch from (m.created_at - r.occurrence_at))::float8 * 1000
              from scheduling.schedule_runs r join messaging.messages m on m.id = r.message_id
             where r.occurrence_at = $1
            """, due);
        var metadataLag = await ReadAsync(connection, """
            select (m.metadata ->> 'trigger_delay_ms')::float8
              from scheduling.schedule_runs r join messaging.messages m on m.id = r.message_id
             where r.occurrence_at = $1
            """, due);
        var failed = (await ReadAsync(connection, "select count(*)::float8 from scheduling.schedule_runs where occurrence_at = $1 and outcome <> 'sent'", due))[0];
        var peak = SingleSendBenchmark.PeakMemoryMiB(host);
        var baseline = await SingleSendBenchmark.BaselineAsync(environment, schedules);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"due → all {schedules} created:      {created.TotalSeconds,8:F2} s (every run committed, negative: before the due second; target ≤ 5 s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"due → all {schedules} sent:         {sent.TotalSeconds,8:F2} s ({schedules / sent.TotalSeconds:F0} msg/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"due → committed p50/p95 (polled):   {committed(50),6:F0} / {committed(95):F0} ms (the send's commit; negative: before the due second, -1000: before sampling began)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"due → released p50/p95 (polled):    {released(50),6:F0} / {released(95):F0} ms (queued for dispatch; target p95 < 1000 ms)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"due → sent_at p50/p95/max:         {SingleSendBenchmark.Percentile(sentLag, 50),6:F0} / {SingleSendBenchmark.Percentile(sentLag, 95):F0} / {sentLag.Max():F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trigger lag delay_ms p50/p95/max:  {SingleSendBenchmark.Percentile(delays, 50),6:F0} / {SingleSendBenchmark.Percentile(delays, 95):F0} / {delays.Max():F0} ms (at the claim)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"metadata.trigger_delay_ms p50/p95: {SingleSendBenchmark.Percentile(metadataLag, 50),6:F0} / {SingleSendBenchmark.Percentile(metadataLag, 95):F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"due → created_at p50/p95/max:      {SingleSendBenchmark.Percentile(createdLag, 50),6:F0} / {SingleSendBenchmark.Percentile(createdLag, 95):F0} / {createdLag.Max():F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"runs not 'sent':                   {failed,8:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"POST /v1/scheduled-messages:       {postRate,8:F0} /s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host peak memory (VmHWM):          {peak,8:F0} MiB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RabbitMQ send+consume only:        {baseline,8:F0} msg/s"));
        host.Kill(entireProcessTree: true);
    }

    private static DateTimeOffset WholeSecond(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static async Task<double> CreateAsync(HttpClient http, Guid channel, int schedules, DateTimeOffset at, string label)
    {
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < schedules)
            {
                using var response = await http.PostAsJsonAsync("/v1/scheduled-messages", new
                {
                    channel_id = channel, send_type = "single", delivery_address = $"{200000 + i}", message_body = $"Scheduled {label} message {i}", scheduled_at = at, timezone = "Etc/UTC",
                });
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"POST /v1/scheduled-messages: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }));
        return schedules / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// From <see cref="SampledAhead"/> before the due second, samples every 20 ms how many runs are committed and how
    /// many of their messages are released (out of <c>scheduled</c>), until all are released; then
    /// waits for every message to be out of queued/sending. <c>Committed(p)</c> and <c>Released(p)</c>
    /// say when p% were visible, in ms from the due second (negative: before it).
    /// </summary>
    private static async Task<(TimeSpan Created, TimeSpan Sent, Func<double, double> Committed, Func<double, double> Released)> WaitForAsync(
        NpgsqlConnection connection, DateTimeOffset due, int schedules)
    {
        var wait = due - DateTimeOffset.UtcNow - SampledAhead;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var samples = new List<(double Ms, long Committed, long Released)>();
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (samples.Count == 0 || samples[^1].Released < schedules)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not all {schedules} runs released within 10 minutes.");
            }

            await using var command = new NpgsqlCommand("""
                select count(*), count(*) filter (where m.status <> 'scheduled')
                  from scheduling.schedule_runs r join messaging.messages m on m.id = r.message_id
                 where r.occurrence_at = $1
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = due });
            await using (var reader = await command.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                samples.Add(((DateTimeOffset.UtcNow - due).TotalMilliseconds, reader.GetInt64(0), reader.GetInt64(1)));
            }

            await Task.Delay(20);
        }

        var created = TimeSpan.FromMilliseconds(samples.First(s => s.Committed >= schedules).Ms);
        await PollAsync(connection, """
            select count(*) from scheduling.schedule_runs r join messaging.messages m on m.id = r.message_id
             where r.occurrence_at = $1 and m.status not in ('scheduled', 'queued', 'sending')
            """, due, schedules);
        return (created, DateTimeOffset.UtcNow - due,
            p => samples.First(s => s.Committed >= Math.Ceiling(schedules * p / 100)).Ms,
            p => samples.First(s => s.Released >= Math.Ceiling(schedules * p / 100)).Ms);
    }

    private static async Task PollAsync(NpgsqlConnection connection, string sql, DateTimeOffset due, int expected, Action<long>? sampled = null)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = due });
            var count = (long)(await command.ExecuteScalarAsync())!;
            sampled?.Invoke(count);
            if (count >= expected)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Not all {expected} reached within 10 minutes: {sql}");
    }

    private static async Task<List<double>> ReadAsync(NpgsqlConnection connection, string sql, DateTimeOffset due)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = due });
        var values = new List<double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? double.NaN : reader.GetDouble(0));
        }

        return values;
    }
}
