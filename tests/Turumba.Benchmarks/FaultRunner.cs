using System.Diagnostics;
using System.Globalization;
using Turumba.Simulator.Twilio;

namespace Turumba.Benchmarks;

/// <summary>
/// The chaos run's faults, one after the other in random order, each at a random point of its share
/// of the window: RabbitMQ's application stopped for 10 s, PostgreSQL restarted, Redis stopped for
/// 5 s and started empty, a dispatch host killed and replaced. After each, how long until the
/// provider takes a message again.
/// </summary>
internal sealed class FaultRunner(TwilioSimulator twilio, string infraScript, Stopwatch clock)
{
    private readonly List<string> _log = [];

    public IReadOnlyList<string> Log => _log;

    /// <param name="workLeft">Whether anything is still to be sent; once nothing is, recovery is not waited for.</param>
    public async Task RunAsync(TimeSpan window, Func<Task> killDispatchHost, Func<Task<bool>> workLeft)
    {
        var faults = new List<(string Name, Func<Task> Act)>
        {
            ("rabbitmq stop_app 10 s / start_app", async () =>
            {
                await InfraAsync("stop-rabbitmq");
                await Task.Delay(TimeSpan.FromSeconds(10)); // The outage itself.
                await InfraAsync("start-rabbitmq");
            }),
            ("postgresql restart", () => InfraAsync("restart-postgres")),
            ("redis stopped 5 s, started empty", async () =>
            {
                await InfraAsync("stop-redis");
                await Task.Delay(TimeSpan.FromSeconds(5));
                await InfraAsync("start-redis");
            }),
            ("kill -9 dispatch host, new one started", killDispatchHost),
        };
        var order = faults.OrderBy(_ => Random.Shared.Next()).ToList();
        var share = window / order.Count;
        for (var i = 0; i < order.Count; i++)
        {
            var at = (share * i) + (share * (0.2 + (0.5 * Random.Shared.NextDouble())));
            if (at > clock.Elapsed)
            {
                await Task.Delay(at - clock.Elapsed);
            }

            var (name, act) = order[i];
            var started = clock.Elapsed;
            await act();
            var restored = clock.Elapsed;
            var taken = Taken();
            var recovery = Stopwatch.StartNew();
            var idle = false;
            while (Taken() == taken && recovery.Elapsed < TimeSpan.FromMinutes(3) && !(idle = !await workLeft()))
            {
                await Task.Delay(50);
            }

            var after = idle ? "nothing was left to send" : $"provider calls again {recovery.Elapsed.TotalSeconds:F1} s later";
            _log.Add(string.Create(CultureInfo.InvariantCulture,
                $"fault at {started.TotalSeconds,5:F1} s: {name,-40} restored after {(restored - started).TotalSeconds,4:F1} s; {after}"));
            Console.WriteLine(_log[^1]);
        }
    }

    private int Taken() => twilio.Messages.Count(r => r.StatusCode == 201);

    private async Task InfraAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [infraScript, command]) { RedirectStandardError = true, UseShellExecute = false })!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{infraScript} {command} failed ({process.ExitCode}): {errors}");
        }
    }
}
