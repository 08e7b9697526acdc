using System.Globalization;
using System.Net.Http.Json;
using Npgsql;
using Turumba.Simulator;

namespace Turumba.Benchmarks;

/// <summary>
/// The headline figure: N contacts in one group, a channel on the simulator (zero latency), one
/// group send queued through the API of the real host (<c>--roles all</c>, child process).
/// Reports the fan-out time (queued → every message inserted and its dispatch command sent),
/// the time until all are sent, the rate, the host's peak memory, and the RabbitMQ-only baseline.
/// </summary>
internal static class GroupSendBenchmark
{
    /// <param name="cache">Off: the host reads every channel from PostgreSQL (<c>Turumba:Channels:Cache:Enabled=false</c>).</param>
    /// <param name="rateLimit">The channel's <c>rate_limit</c>; null leaves only the provider-pause check in the limiter.</param>
    /// <param name="suppressed">How many of the contacts' Telegram chats to put on the suppression list first (spread evenly).</param>
    public static async Task RunAsync(BenchmarkEnvironment environment, int contacts, bool cache = true, int? rateLimit = null, int suppressed = 0)
    {
        await using var simulator = await SimulatorHost.StartAsync();
        var port = SingleSendBenchmark.FreePort();
        using var host = SingleSendBenchmark.StartHost(environment, port,
            cache ? null : new Dictionary<string, string> { ["Turumba__Channels__Cache__Enabled"] = "false" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        await SingleSendBenchmark.WaitForReadyAsync(http, host);
        http.DefaultRequestHeaders.Add("X-Api-Key", await SingleSendBenchmark.CreateAccountAsync(environment));
        var channel = await SingleSendBenchmark.CreateChannelAsync(http, simulator, rateLimit);
        Console.WriteLine($"channel cache {(cache ? "on" : "off")}, rate_limit {rateLimit?.ToString(CultureInfo.InvariantCulture) ?? "none"}");

        Console.WriteLine($"Creating {contacts} contacts in one group ...");
        var group = await GroupSendRun.ImportGroupAsync(http, "benchmark", contacts, GroupSendRun.TelegramContact);

        for (var i = 0; i < suppressed; i++)
        {
            var chat = 10_000_000 + (int)((long)i * contacts / suppressed);
            using var added = await http.PostAsJsonAsync("/v1/suppressions", new { address = chat.ToString(CultureInfo.InvariantCulture), channel_type = "telegram" });
            added.EnsureSuccessStatusCode();
        }

        Console.WriteLine($"{suppressed} suppressed; queueing the group send ...");
        var cpu = CpuMeter.Start(host);
        await using var connection = new NpgsqlConnection(environment.Postgres);
        await connection.OpenAsync();
        var (_, fanOut, allSent) = await GroupSendRun.QueueAndWaitAsync(http, connection, new
        {
            channel_id = channel, contact_group_ids = new[] { group }, message_body = "Selam {FIRST_NAME}, your order is ready.", status = "queued",
        }, contacts - suppressed);
        var sent = contacts - suppressed;
        var peak = SingleSendBenchmark.PeakMemoryMiB(host);
        cpu.Stop();
        var baseline = await SingleSendBenchmark.BaselineAsync(environment, contacts);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fan-out of {contacts}:         {fanOut.TotalSeconds,8:F1} s (inserted and enqueued)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all {contacts} sent:           {allSent.TotalSeconds,8:F1} s ({contacts / allSent.TotalSeconds:F0} msg/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host peak memory (VmHWM): {peak,8:F0} MiB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RabbitMQ send+consume only: {baseline,6:F0} msg/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all sent / baseline:        {sent / allSent.TotalSeconds / baseline,6:F2}"));
        cpu.Print(sent);
        host.Kill(entireProcessTree: true);
    }
}
