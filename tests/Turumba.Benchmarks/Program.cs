using Turumba.Benchmarks;

// dotnet run -c Release --project tests/Turumba.Benchmarks -- outbox|single-send|render|group-send|limiter|schedules|batch-send|reads|email-group-send|chaos [count]
//   chaos: count is the group's recipients (default 10000); --singles=N single sends (default 1000). Needs the services of
//   build/chaos-infra.sh (ConnectionStrings__* from its `env`); run it as ./build.sh chaos.
//   reads: count is the seconds each read runs (default 10).
//   batch-send also takes --clients=N (concurrent clients, default 4) and --keys (a per-item idempotency key on every item).
//   schedules also takes --batch-size=N and --lookahead=SECONDS (the host's Turumba:Scheduling:BatchSize and Lookahead).
//   group-send also takes --no-cache (channels read from PostgreSQL), --rate-limit=N (the channel's limit per minute) and
//   --suppressed=N (that many recipients on the suppression list).
if (args is not [("outbox" or "single-send" or "render" or "group-send" or "limiter" or "schedules" or "batch-send" or "reads" or "email-group-send" or "chaos") and var scenario, .. var rest])
{
    Console.Error.WriteLine("Usage: Turumba.Benchmarks outbox|single-send|render|group-send|limiter|schedules|batch-send|reads|email-group-send|chaos [count (defaults 10000, 5000, 100000, 100000, 50000, 10000, 20000; reads: seconds, 10; email-group-send 10000; chaos 10000)]");
    return 2;
}

if (scenario == "render")
{
    RenderBenchmark.Run(rest is [var n, ..] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 100_000);
    return 0;
}

if (scenario == "limiter")
{
    await LimiterBenchmark.RunAsync(rest is [var n, ..] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 50_000);
    return 0;
}

var options = rest.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToList();
rest = rest.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var rateLimit = options.FirstOrDefault(o => o.StartsWith("--rate-limit=", StringComparison.Ordinal)) is { } limit
    ? int.Parse(limit["--rate-limit=".Length..], System.Globalization.CultureInfo.InvariantCulture)
    : (int?)null;
var messages = rest is [var count, ..]
    ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)
    : scenario switch { "outbox" or "schedules" or "email-group-send" or "chaos" => 10_000, "reads" => 10, "single-send" => 5_000, "batch-send" => 20_000, _ => 100_000 };
await using var environment = await BenchmarkEnvironment.CreateAsync(ownVirtualHost: scenario != "chaos");
if (scenario == "chaos")
{
    return await ChaosRun.RunAsync(environment, messages,
        options.FirstOrDefault(o => o.StartsWith("--singles=", StringComparison.Ordinal)) is { } singles
            ? int.Parse(singles["--singles=".Length..], System.Globalization.CultureInfo.InvariantCulture)
            : 1_000,
        Path.GetFullPath(Path.Combine("build", "chaos-infra.sh")));
}

await (scenario switch
{
    "outbox" => OutboxBenchmark.RunAsync(environment, messages),
    "single-send" => SingleSendBenchmark.RunAsync(environment, messages),
    "reads" => ReadsBenchmark.RunAsync(environment, messages),
    "email-group-send" => EmailGroupSendBenchmark.RunAsync(environment, messages),
    "batch-send" => BatchSendBenchmark.RunAsync(environment, messages,
        options.FirstOrDefault(o => o.StartsWith("--clients=", StringComparison.Ordinal)) is { } clients
            ? int.Parse(clients["--clients=".Length..], System.Globalization.CultureInfo.InvariantCulture)
            : 4,
        options.Contains("--keys")),
    "schedules" => ScheduleBenchmark.RunAsync(environment, messages,
        options.FirstOrDefault(o => o.StartsWith("--batch-size=", StringComparison.Ordinal)) is { } batch
            ? int.Parse(batch["--batch-size=".Length..], System.Globalization.CultureInfo.InvariantCulture)
            : null,
        options.FirstOrDefault(o => o.StartsWith("--lookahead=", StringComparison.Ordinal)) is { } lookahead
            ? double.Parse(lookahead["--lookahead=".Length..], System.Globalization.CultureInfo.InvariantCulture)
            : null),
    _ => GroupSendBenchmark.RunAsync(environment, messages, cache: !options.Contains("--no-cache"), rateLimit,
        options.FirstOrDefault(o => o.StartsWith("--suppressed=", StringComparison.Ordinal)) is { } suppressed
            ? int.Parse(suppressed["--suppressed=".Length..], System.Globalization.CultureInfo.InvariantCulture)
            : 0),
});

return 0;
