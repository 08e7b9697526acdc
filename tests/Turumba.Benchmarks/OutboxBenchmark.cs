using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Turumba.Host;
using Turumba.Platform;
using Turumba.Platform.Hosting;
using Turumba.Platform.Persistence;

namespace Turumba.Benchmarks;

public sealed record BenchmarkMessage(int Batch, int Index);

/// <summary>
/// Bus outbox throughput (commit + delivery to RabbitMQ) beside plain MassTransit publish to the
/// same broker, in one process with roles <c>all</c>. Both paths publish in batches of
/// <see cref="BatchSize"/> from <see cref="Writers"/> concurrent writers; the outbox path is timed
/// until the last row has been delivered and removed.
/// </summary>
internal static class OutboxBenchmark
{
    private const int BatchSize = 100;
    private const int Writers = 4;

    public static async Task RunAsync(BenchmarkEnvironment environment, int messages)
    {
        using var host = Build(environment);
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));

        Console.WriteLine($"Warming up ({Writers} writers, batches of {BatchSize}) ...");
        await PlainPublishAsync(host, 2_000);
        await OutboxPublishAsync(host, 2_000);

        Console.WriteLine($"Measuring {messages} messages per path ...");
        var plain = await PlainPublishAsync(host, messages);
        var (committed, delivered) = await OutboxPublishAsync(host, messages);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"plain publish:               {plain,10:F0} msg/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bus outbox, committed:       {committed,10:F0} msg/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bus outbox, committed+sent:  {delivered,10:F0} msg/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio outbox/plain:          {delivered / plain,10:F2}"));
        await host.StopAsync();
    }

    private static async Task<double> PlainPublishAsync(IHost host, int messages)
    {
        var bus = host.Services.GetRequiredService<IBus>();
        var clock = Stopwatch.StartNew();
        await InBatchesAsync(messages, batch =>
            Task.WhenAll(Enumerable.Range(0, BatchSize).Select(i => bus.Publish(new BenchmarkMessage(batch, i)))));
        return messages / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(double Committed, double Delivered)> OutboxPublishAsync(IHost host, int messages)
    {
        var clock = Stopwatch.StartNew();
        await InBatchesAsync(messages, async batch =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            for (var i = 0; i < BatchSize; i++)
            {
                await publish.Publish(new BenchmarkMessage(batch, i));
            }

            await db.SaveChangesAsync();
        });
        var committed = messages / clock.Elapsed.TotalSeconds;

        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        while (true)
        {
            await using var count = dataSource.CreateCommand("select exists (select 1 from platform.outbox_message)");
            if (!(bool)(await count.ExecuteScalarAsync())!)
            {
                break;
            }

            await Task.Delay(5);
        }

        return (committed, messages / clock.Elapsed.TotalSeconds);
    }

    private static Task InBatchesAsync(int messages, Func<int, Task> batch)
    {
        var batches = messages / BatchSize;
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, Writers).Select(async _ =>
        {
            int current;
            while ((current = Interlocked.Increment(ref next)) < batches)
            {
                await batch(current);
            }
        }));
    }

    private static IHost Build(BenchmarkEnvironment environment)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = environment.Postgres,
            ["ConnectionStrings:RabbitMq"] = environment.RabbitMq,
            ["ConnectionStrings:Redis"] = BenchmarkEnvironment.Redis,
        });
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddTurumba(builder.Configuration, HostRoles.AllRoles, TurumbaModules.Catalog, typeof(TurumbaModules).Assembly);
        return builder.Build();
    }
}
