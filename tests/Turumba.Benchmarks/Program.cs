using Turumba.Benchmarks;

// dotnet run -c Release --project tests/Turumba.Benchmarks -- outbox [messages]
if (args is not ["outbox", .. var rest])
{
    Console.Error.WriteLine("Usage: Turumba.Benchmarks outbox [messages (default 10000)]");
    return 2;
}

var messages = rest is [var count, ..] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 10_000;
await using var environment = await BenchmarkEnvironment.CreateAsync();
await OutboxBenchmark.RunAsync(environment, messages);
return 0;
