using System.Diagnostics;
using System.Globalization;

namespace Turumba.Benchmarks;

/// <summary>
/// CPU seconds spent by each part of the system over a measured phase, read from <c>/proc</c>:
/// the host, this process (the simulator and the load generator), PostgreSQL (every backend plus
/// the backends that exited, which the postmaster's children times hold), RabbitMQ and Redis.
/// Unlike wall time, CPU per message hardly moves when other work shares the machine, so it is the
/// figure to compare between runs and commits here.
/// </summary>
internal sealed class CpuMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    private readonly Process _host;
    private readonly Dictionary<string, double> _start;
    private Dictionary<string, double>? _end;

    private CpuMeter(Process host)
    {
        _host = host;
        _start = Sample(host);
    }

    public static CpuMeter Start(Process host) => new(host);

    /// <summary>Ends the measured phase (before a baseline runs on the same services).</summary>
    public void Stop() => _end = Sample(_host);

    /// <summary>Prints each part's CPU seconds per 1,000 <paramref name="messages"/> between the start and the stop.</summary>
    public void Print(int messages, string unit = "messages")
    {
        var end = _end ?? throw new InvalidOperationException("Stop the meter first.");
        var parts = end.Keys.Select(k => (Part: k, Seconds: end[k] - _start.GetValueOrDefault(k))).ToList();
        var total = parts.Sum(p => p.Seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU s per 1,000 {unit}: {string.Join(", ", parts.Select(p => $"{p.Part} {p.Seconds * 1000 / messages:F2}"))}; total {total * 1000 / messages:F2}"));
    }

    private static Dictionary<string, double> Sample(Process host)
    {
        var parts = new Dictionary<string, double>
        {
            ["host"] = ProcessSeconds(host.Id, children: false),
            ["benchmark+simulator"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
            ["postgres"] = 0,
            ["rabbitmq"] = 0,
            ["redis"] = 0,
        };
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || !TryReadComm(pid, out var comm))
            {
                continue;
            }

            var part = comm switch
            {
                "postgres" => "postgres",
                "beam.smp" => "rabbitmq",
                "redis-server" => "redis",
                _ => null,
            };
            if (part is not null)
            {
                // The postmaster's children times hold the backends that have exited; a backend's own are zero.
                parts[part] += ProcessSeconds(pid, children: part == "postgres");
            }
        }

        return parts;
    }

    private static bool TryReadComm(int pid, out string comm)
    {
        try
        {
            comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
            return true;
        }
        catch (IOException)
        {
            comm = "";
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            comm = "";
            return false;
        }
    }

    /// <summary>User + system CPU seconds of process <paramref name="pid"/> so far, with its reaped children's when asked.</summary>
    internal static double ProcessSeconds(int pid, bool children = false)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may hold spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime, stime, cutime, cstime are fields 14–17 of stat, i.e. 11–14 after the name.
            var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            if (children)
            {
                ticks += double.Parse(fields[13], CultureInfo.InvariantCulture) + double.Parse(fields[14], CultureInfo.InvariantCulture);
            }

            return ticks / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0; // exited between the listing and the read
        }
    }
}
