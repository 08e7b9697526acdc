using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Npgsql;
using Turumba.Groups.Progress;
using Turumba.Messaging;
using Turumba.Platform;
using Turumba.Simulator;

namespace Turumba.Benchmarks;

/// <summary>
/// The chaos run (issue 19): three hosts with split roles against PostgreSQL, RabbitMQ and Redis of
/// the run's own (<c>build/chaos-infra.sh</c>), the simulator's Twilio failing 5 % of calls at random
/// with random latency and posting every status callback twice, the final one first. A group SMS to
/// N recipients and M single sends at a steady rate are queued while, each at a random point and one
/// after the other, RabbitMQ is stopped and started, PostgreSQL restarted, Redis restarted with its
/// data lost, and a dispatch host killed with SIGKILL and replaced. Then it counts, at the provider
/// and in the table, what was lost, sent twice, stuck, and whether the group's counters match the table.
/// </summary>
internal static class ChaosRun
{
    private const string AccountSid = "AC0000000000000000000000000000c4a0";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(12);

    public static async Task<int> RunAsync(BenchmarkEnvironment environment, int recipients, int singles, string infraScript)
    {
        await using var simulator = await SimulatorHost.StartAsync();
        var twilio = simulator.Twilio;
        var logs = Directory.CreateDirectory(Path.Combine("artifacts", "chaos")).FullName;
        var apiPort = SingleSendBenchmark.FreePort();
        var settings = new Dictionary<string, string>
        {
            ["Turumba__Webhooks__BaseUrl"] = $"http://127.0.0.1:{apiPort}",
            // A killed dispatcher's claims are closed as outcome_unknown within the run, not after 10 minutes.
            ["Turumba__Messages__SendingSweep__Timeout"] = "00:01:30",
            ["Turumba__Messages__SendingSweep__Interval"] = "00:00:05",
        };
        var hosts = new Dictionary<string, (Process Process, string Roles)>();
        Process Start(string name, string roles, int port)
        {
            var writer = TextWriter.Synchronized(new StreamWriter(Path.Combine(logs, $"{name}.log"), append: true) { AutoFlush = true });
            var process = SingleSendBenchmark.StartHost(environment, port, settings, roles, writer.WriteLine);
            hosts[name] = (process, roles);
            return process;
        }

        var dispatchPort = SingleSendBenchmark.FreePort();
        Start("api", "api,webhooks", apiPort);
        Start("dispatch-1", "dispatch,groups,outbox", dispatchPort);
        Start("dispatch-2", "dispatch,status,inbound,scheduling,maintenance", SingleSendBenchmark.FreePort());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(30) };
        await SingleSendBenchmark.WaitForReadyAsync(http, hosts["api"].Process);
        http.DefaultRequestHeaders.Add("X-Api-Key", await SingleSendBenchmark.CreateAccountAsync(environment));
        var channel = await GroupSendRun.ReadIdAsync(await http.PostAsJsonAsync("/v1/channels", new
        {
            name = "chaos sms",
            channel_type = "sms",
            credentials = new Dictionary<string, string>
            {
                ["account_sid"] = AccountSid, ["auth_token"] = "chaos-token", ["from_number"] = "+15005550006", ["api_base_url"] = simulator.BaseUrl.ToString(),
            },
        }));
        Console.WriteLine($"Importing {recipients} contacts ...");
        var group = await GroupSendRun.ImportGroupAsync(http, "chaos", recipients, i => new { first_name = $"Contact{i}", phone = GroupPhone(i) });

        twilio.Faults.FailureRate = 0.05;
        twilio.Faults.LatencyJitter = TimeSpan.FromMilliseconds(50);
        twilio.CallbacksTwiceOutOfOrder = true;
        var clock = Stopwatch.StartNew();
        var groupSend = await GroupSendRun.ReadIdAsync(await http.PostAsJsonAsync("/v1/group-messages", new
        {
            channel_id = channel, contact_group_ids = new[] { group }, message_body = "Hi {FIRST_NAME}, chaos edition.", status = "queued",
        }));
        Console.WriteLine($"Group send {groupSend} queued; {singles} single sends at 10/s; faults on the way ...");

        var acceptedSingles = new System.Collections.Concurrent.ConcurrentBag<string>();
        var singlesRun = SendSinglesAsync(http, channel, singles, acceptedSingles);
        var faults = new FaultRunner(twilio, infraScript, clock);
        async Task<bool> WorkLeftAsync()
        {
            if (!singlesRun.IsCompleted)
            {
                return true;
            }

            try
            {
                await using var probe = new NpgsqlConnection(environment.Postgres);
                await probe.OpenAsync();
                return await ScalarAsync(probe, "select count(*) from messaging.messages where status in ('queued', 'sending')") > 0;
            }
            catch (NpgsqlException)
            {
                return true; // PostgreSQL is still coming back: assume there is.
            }
        }

        var faultsRun = faults.RunAsync(TimeSpan.FromSeconds(Math.Max(40, singles / 10.0)), async () =>
        {
            hosts["dispatch-1"].Process.Kill();
            await hosts["dispatch-1"].Process.WaitForExitAsync();
            Start("dispatch-1", hosts["dispatch-1"].Roles, dispatchPort);
        }, WorkLeftAsync);
        await Task.WhenAll(singlesRun, faultsRun);

        await using var connection = new NpgsqlConnection(environment.Postgres);
        await OpenAsync(connection);
        Console.WriteLine("Waiting until nothing is queued or sending ...");
        var settled = await UntilAsync(async () => await ScalarAsync(connection,
            "select count(*) from messaging.messages where status in ('queued', 'sending')") == 0
            && await ScalarAsync(connection, $"select count(*) from groups.group_messages where id = '{groupSend}' and status in ('completed', 'partially_failed', 'failed')") == 1,
            clock, Deadline);
        var drained = clock.Elapsed;
        // The callbacks of the last sends and the progress flush follow: every message the provider took must come
        // to "delivered" (its final callback), and the counters to equal the table.
        var settledReceipts = await UntilAsync(async () => (await CompareCountersAsync(connection, groupSend)).Equal
            && await ScalarAsync(connection, "select count(*) from messaging.messages where direction = 'outbound' and status = 'sent'") == 0,
            clock, drained + TimeSpan.FromSeconds(60));

        var report = await CountAsync(connection, twilio, recipients, acceptedSingles);
        var (counters, table, row) = await CompareCountersAsync(connection, groupSend);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run: {clock.Elapsed.TotalSeconds:F0} s; drained {(settled ? "after" : "NOT within")} {drained.TotalSeconds:F0} s"));
        foreach (var line in faults.Log)
        {
            Console.WriteLine(line);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            accepted:                   {report.Accepted,7} (group {recipients}, single {acceptedSingles.Count} of {singles})
            provider calls:             {report.Calls,7} ({report.Refused} answered 5xx)
            distinct messages called:   {report.Distinct,7}
            lost:                       {report.Lost,7} (accepted, neither taken by the provider nor failed)
            duplicated:                 {report.Duplicated,7} (taken by the provider twice)
            stuck:                      {report.Stuck,7} (queued or sending at the end)
            receipts not applied:       {report.NotDelivered,7} (taken by the provider, still "sent" though it reported delivered)
            outcome_unknown:            {report.OutcomeUnknown,7} ({report.OutcomeUnknownCalled} of them taken by the provider; none re-sent)
            failed otherwise:           {report.FailedOtherwise,7}
            status callbacks posted:    {twilio.Callbacks.Count,7} ({twilio.Callbacks.Count(c => c.StatusCode is >= 200 and < 300)} answered 2xx)
            counters vs table:          {(counters ? "equal" : "DIFFERENT")}: counters {row}, table {table}
            """));
        var healthy = settled && settledReceipts && counters && report.Lost == 0 && report.Duplicated == 0 && report.Stuck == 0 && report.NotDelivered == 0 && report.Accepted == recipients + singles;
        Console.WriteLine(healthy ? "result: nothing lost, nothing doubled, nothing stuck" : "result: FAILED (see above; host logs in artifacts/chaos/)");
        foreach (var (process, _) in hosts.Values)
        {
            process.Kill(entireProcessTree: true);
        }

        return healthy ? 0 : 1;
    }

    private static string GroupPhone(int i) => $"+4479111{i:D5}";

    private static string SinglePhone(int i) => $"+4479112{i:D5}";

    /// <summary>Ten a second, each retried with its idempotency key until the API accepts it, as a careful client would.</summary>
    private static async Task SendSinglesAsync(HttpClient http, Guid channel, int singles, System.Collections.Concurrent.ConcurrentBag<string> accepted)
    {
        var sends = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < singles; i++)
        {
            var due = TimeSpan.FromMilliseconds(i * 100);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var n = i;
            sends.Add(Task.Run(async () =>
            {
                var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
                while (DateTime.UtcNow < until)
                {
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
                        {
                            Content = JsonContent.Create(new { channel_id = channel, delivery_address = SinglePhone(n), message_body = $"Single {n}" }),
                        };
                        request.Headers.Add("Idempotency-Key", $"chaos-single-{n}");
                        using var response = await http.SendAsync(request);
                        if (response.IsSuccessStatusCode)
                        {
                            accepted.Add(SinglePhone(n));
                            return;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        // The API is down or slow during a fault: try again.
                    }

                    await Task.Delay(500);
                }
            }));
        }

        await Task.WhenAll(sends);
    }

    private sealed record Report(int Accepted, int Calls, int Refused, int Distinct, int Lost, int Duplicated, int Stuck, int NotDelivered, int OutcomeUnknown, int OutcomeUnknownCalled, int FailedOtherwise);

    private static async Task<Report> CountAsync(NpgsqlConnection connection, Simulator.Twilio.TwilioSimulator twilio, int recipients, IReadOnlyCollection<string> acceptedSingles)
    {
        var calls = twilio.Messages.Where(r => r.AccountSid == AccountSid).ToList();
        var taken = calls.Where(r => r.StatusCode == 201).GroupBy(r => r.Parameters["To"]).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var rows = new Dictionary<string, (string Status, string? Code)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("select delivery_address, status, error_details->>'code' from messaging.messages where direction = 'outbound'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows[reader.GetString(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }
        }

        var accepted = Enumerable.Range(0, recipients).Select(GroupPhone).Concat(acceptedSingles).ToList();
        bool Failed(string address) => rows.TryGetValue(address, out var row) && row.Status is "failed" or "permanently_failed";
        var unknown = rows.Where(r => r.Value.Code == "outcome_unknown").Select(r => r.Key).ToList();
        return new Report(
            accepted.Count,
            calls.Count,
            calls.Count(r => r.StatusCode >= 500),
            taken.Count,
            accepted.Count(a => !taken.ContainsKey(a) && !Failed(a)),
            taken.Count(t => t.Value > 1),
            rows.Count(r => r.Value.Status is "queued" or "sending"),
            rows.Count(r => r.Value.Status == "sent"),
            unknown.Count,
            unknown.Count(taken.ContainsKey),
            rows.Count(r => r.Value.Status is "failed" or "permanently_failed" && r.Value.Code != "outcome_unknown"));
    }

    /// <summary>The group send's counters (its row, flushed from Redis or counted) against the table, bucket by bucket as Groups counts them.</summary>
    private static async Task<(bool Equal, string Table, string Row)> CompareCountersAsync(NpgsqlConnection connection, Guid groupSend)
    {
        var statuses = Enum.GetValues<MessageStatus>().ToDictionary(s => s.ToSnakeCase(), StringComparer.Ordinal);
        var table = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            [GroupProgressCounters.Pending] = 0, [GroupProgressCounters.Sent] = 0, [GroupProgressCounters.Delivered] = 0, [GroupProgressCounters.Failed] = 0,
        };
        await using (var command = new NpgsqlCommand($"select status, count(*) from messaging.messages where group_message_id = '{groupSend}' group by status", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var bucket = GroupProgressCounters.BucketOf(statuses[reader.GetString(0)]);
                table[bucket] = table.GetValueOrDefault(bucket) + reader.GetInt64(1);
            }
        }

        await using var counters = new NpgsqlCommand($"select pending_count, sent_count, delivered_count, failed_count from groups.group_messages where id = '{groupSend}'", connection);
        await using var row = await counters.ExecuteReaderAsync();
        await row.ReadAsync();
        var fromRow = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            [GroupProgressCounters.Pending] = row.GetInt32(0), [GroupProgressCounters.Sent] = row.GetInt32(1),
            [GroupProgressCounters.Delivered] = row.GetInt32(2), [GroupProgressCounters.Failed] = row.GetInt32(3),
        };
        static string Text(SortedDictionary<string, long> figures) => string.Join(' ', figures.Select(f => $"{f.Key}={f.Value}"));
        var equal = table.All(t => t.Key == GroupProgressCounters.Cancelled || fromRow.GetValueOrDefault(t.Key) == t.Value)
            && fromRow.All(r => table.GetValueOrDefault(r.Key) == r.Value);
        return (equal, Text(table), Text(fromRow));
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task OpenAsync(NpgsqlConnection connection)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the run's clock passes <paramref name="deadline"/>.</summary>
    private static async Task<bool> UntilAsync(Func<Task<bool>> condition, Stopwatch clock, TimeSpan deadline)
    {
        while (clock.Elapsed < deadline)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (NpgsqlException)
            {
                // PostgreSQL restarting under the poll: ask again.
            }

            await Task.Delay(500);
        }

        return false;
    }
}
