using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Benchmarks;

/// <summary>
/// Rate-limit decisions from one process against Redis: one at a time, 64 callers sharing one
/// multiplexer (StackExchange.Redis pipelines their scripts on one connection), and batches of 100
/// slots. The limits are never reached, so every call takes slots and does the full work.
/// </summary>
internal static class LimiterBenchmark
{
    private const int Callers = 64;
    private const int Batch = 100;

    public static async Task RunAsync(int decisions)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(BenchmarkEnvironment.Redis);
        var limiter = new RedisRateLimiter(redis);
        var run = Guid.NewGuid().ToString("N")[..8];
        // A one-second window keeps the sorted sets to one second of slots; the work per decision is the same.
        RateLimit[] Limits(int count) => Enumerable.Range(0, count)
            .Select(i => new RateLimit($"bench:{run}:{count}:{i}", int.MaxValue, TimeSpan.FromSeconds(1))).ToArray();

        Console.WriteLine($"Redis {BenchmarkEnvironment.Redis}; {decisions} decisions per run (batches: {decisions / 10} of {Batch}), after a warm-up");
        foreach (var count in new[] { 1, 3 })
        {
            var limits = Limits(count);
            await SequentialAsync(limiter, limits, decisions / 10);
            Report(count, "TryAcquireAsync, one at a time", decisions / 10, await SequentialAsync(limiter, limits, decisions / 10), "decisions", decisions / 10);
            await PipelinedAsync(limiter, limits, decisions / 10);
            Report(count, $"TryAcquireAsync, {Callers} concurrent callers", decisions, await PipelinedAsync(limiter, limits, decisions), "decisions", calls: null);
            await BatchesAsync(limiter, limits, decisions / 100);
            Report(count, $"TryAcquireManyAsync({Batch}), one at a time", decisions / 10 * Batch, await BatchesAsync(limiter, limits, decisions / 10), "slots", decisions / 10);
        }
    }

    private static async Task<TimeSpan> SequentialAsync(RedisRateLimiter limiter, RateLimit[] limits, int decisions)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < decisions; i++)
        {
            Granted(await limiter.TryAcquireAsync("bench", limits));
        }

        return clock.Elapsed;
    }

    private static async Task<TimeSpan> PipelinedAsync(RedisRateLimiter limiter, RateLimit[] limits, int decisions)
    {
        var remaining = decisions;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                Granted(await limiter.TryAcquireAsync("bench", limits));
            }
        })));
        return clock.Elapsed;
    }

    private static async Task<TimeSpan> BatchesAsync(RedisRateLimiter limiter, RateLimit[] limits, int batches)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < batches; i++)
        {
            var grant = await limiter.TryAcquireManyAsync("bench", limits, Batch);
            if (grant.Granted != Batch)
            {
                throw new InvalidOperationException($"Only {grant.Granted} of {Batch} slots were granted: the benchmark must never be limited.");
            }
        }

        return clock.Elapsed;
    }

    private static void Granted(RateDecision decision)
    {
        if (!decision.Allowed)
        {
            throw new InvalidOperationException($"A decision was denied by {decision.LimitedBy}: the benchmark must never be limited.");
        }
    }

    // Sequential calls also give the round trip; concurrent ones overlap, so only their rate means something.
    private static void Report(int limits, string mode, int count, TimeSpan elapsed, string unit, int? calls) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{limits} limit(s), {mode}: {count} {unit} in {elapsed.TotalMilliseconds:F0} ms = {count / elapsed.TotalSeconds:F0} {unit}/s")
            + (calls is { } n ? string.Create(CultureInfo.InvariantCulture, $" ({elapsed.TotalMicroseconds / n:F0} µs per call)") : string.Empty));
}
