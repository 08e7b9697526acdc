using Turumba.Benchmarks;

// dotnet run -c Release --project tests/Turumba.Benchmarks -- outbox|single-send [messages]
if (args is not [("outbox" or "single-send") and var scenario, .. var rest])
{
    Console.Error.WriteLine("Usage: Turumba.Benchmarks outbox|single-send [messages (default 10000 for outbox, 5000 for single-send)]");
    return 2;
}

var messages = rest is [var count, ..] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : scenario == "outbox" ? 10_000 : 5_000;
await using var environment = await BenchmarkEnvironment.CreateAsync();
if (scenario == "outbox")
{
    await OutboxBenchmark.RunAsync(environment, messages);
}
else
{
    await SingleSendBenchmark.RunAsync(environment, messages);
}

return 0;
