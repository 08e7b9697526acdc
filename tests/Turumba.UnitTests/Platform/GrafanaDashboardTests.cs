using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Turumba.Dispatch.Telemetry;
using Turumba.Platform.Telemetry;

namespace Turumba.UnitTests.Platform;

/// <summary>
/// docs/grafana-dashboard.json names only metrics the code exports: every metric in a query, a
/// variable or a panel description is one of the instruments on the Turumba meter (under the name the
/// Prometheus exporter gives it) or one of the few library instruments the host enables. A renamed or
/// removed instrument fails here instead of leaving an empty panel.
/// </summary>
[TestFixture]
public sealed partial class GrafanaDashboardTests
{
    /// <summary>Instruments of the instrumentation libraries the host adds (TelemetryServiceCollectionExtensions), by Prometheus name.</summary>
    private static readonly Dictionary<string, string> LibraryMetrics = new(StringComparer.Ordinal)
    {
        ["http_server_request_duration_seconds"] = "histogram", // ASP.NET Core: http.server.request.duration, s
    };

    [Test]
    public void Every_metric_the_dashboard_names_is_exported()
    {
        var exported = ExportedNames(TurumbaInstruments());
        foreach (var (name, kind) in LibraryMetrics)
        {
            exported.UnionWith(Series(name, kind));
        }

        var named = DashboardMetrics();
        Assert.That(named, Is.Not.Empty, "no metric found in the dashboard: the extraction is broken");
        // A description may name a family with a wildcard (turumba_groups_*_total): some exported name must fit it.
        var unknown = named.Where(n => n.Contains('*', StringComparison.Ordinal)
            ? !exported.Any(e => Regex.IsMatch(e, "^" + Regex.Escape(n).Replace(@"\*", "[a-z0-9_]+", StringComparison.Ordinal) + "$"))
            : !exported.Contains(n));
        Assert.That(unknown.Order(), Is.Empty,
            "the dashboard names metrics no instrument exports (renamed or removed?); exported: " + string.Join(", ", exported.Order()));
    }

    [Test]
    public void Instruments_get_the_exporters_names()
    {
        var exported = ExportedNames(TurumbaInstruments());
        Assert.That(exported, Does.Contain("turumba_dispatch_messages_total")
            .And.Contain("turumba_dispatch_duration_seconds_bucket")
            .And.Contain("turumba_outbox_oldest_age_seconds")
            .And.Contain("turumba_dispatch_queue_depth")
            .And.Contain("turumba_channels_template_syncs_total"));
    }

    /// <summary>
    /// The Turumba meter's instruments: the static ones (classes initialised here) and the observable
    /// gauges the maintenance samplers create when constructed. A new sampler belongs in this list.
    /// </summary>
    private static List<Instrument> TurumbaInstruments()
    {
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == TurumbaTelemetry.Name)
                {
                    lock (instruments)
                    {
                        instruments.Add(instrument);
                    }
                }
            },
        };
        listener.Start();
        foreach (var type in TurumbaAssemblies().SelectMany(a => a.GetTypes()))
        {
            if (type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic).Any(f => typeof(Instrument).IsAssignableFrom(f.FieldType)))
            {
                RuntimeHelpers.RunClassConstructor(type.TypeHandle);
            }
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = "amqp://guest:guest@localhost:5672/",
        }).Build();
        // Constructing them creates their gauges; nothing runs until a host starts them.
        _ = new OutboxBacklogSampler(null!, TimeProvider.System, NullLogger<OutboxBacklogSampler>.Instance);
        _ = new DispatchQueueDepthSampler(configuration, TimeProvider.System, NullLogger<DispatchQueueDepthSampler>.Instance);
        // Published instruments that already existed are reported when the listener starts, so each is seen at least once.
        lock (instruments)
        {
            return instruments.DistinctBy(i => i.Name).ToList();
        }
    }

    private static IEnumerable<Assembly> TurumbaAssemblies()
    {
        var seen = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([typeof(Program).Assembly]);
        while (pending.TryDequeue(out var assembly))
        {
            if (!seen.TryAdd(assembly.GetName().Name!, assembly))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name?.StartsWith("Turumba.", StringComparison.Ordinal) == true))
            {
                pending.Enqueue(Assembly.Load(reference));
            }
        }

        return seen.Values;
    }

    /// <summary>The series names the OpenTelemetry Prometheus exporter writes: dots to underscores, the unit as a suffix, _total on counters, _bucket/_sum/_count on histograms.</summary>
    private static HashSet<string> ExportedNames(IEnumerable<Instrument> instruments)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instrument in instruments)
        {
            var name = InvalidCharacters().Replace(instrument.Name, "_");
            var unit = instrument.Unit switch
            {
                null or "" => null,
                "s" => "seconds",
                "ms" => "milliseconds",
                "By" => "bytes",
                var u when u.StartsWith('{') => null, // an annotation, not a unit
                var u => InvalidCharacters().Replace(u, "_"),
            };
            if (unit is not null && !name.EndsWith("_" + unit, StringComparison.Ordinal))
            {
                name += "_" + unit;
            }

            var kind = instrument switch
            {
                _ when instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal) => "histogram",
                _ when instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal)
                    || instrument.GetType().Name.StartsWith("ObservableCounter", StringComparison.Ordinal) => "counter",
                _ => "gauge",
            };
            names.UnionWith(Series(name, kind));
        }

        return names;
    }

    private static IEnumerable<string> Series(string name, string kind) => kind switch
    {
        "counter" => [name + "_total"],
        // The base name too: panel descriptions name a histogram by it.
        "histogram" => [name, name + "_bucket", name + "_sum", name + "_count"],
        _ => [name],
    };

    /// <summary>Metric names in the dashboard: selectors (<c>name{…}</c>) in queries and variables, and every <c>turumba_*</c> name anywhere (descriptions included).</summary>
    private static HashSet<string> DashboardMetrics()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Path("docs", "grafana-dashboard.json")));
        var names = new HashSet<string>(StringComparer.Ordinal);
        Walk(dashboard.RootElement, null);
        return names;

        void Walk(JsonElement element, string? property)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var member in element.EnumerateObject())
                    {
                        Walk(member.Value, member.Name);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item, property);
                    }

                    break;
                case JsonValueKind.String:
                    var text = element.GetString()!;
                    if (property is "expr" or "query" or "definition")
                    {
                        names.UnionWith(Selector().Matches(text).Select(m => m.Groups[1].Value));
                        names.UnionWith(LabelValues().Matches(text).Select(m => m.Groups[1].Value));
                    }

                    names.UnionWith(TurumbaName().Matches(text).Select(m => m.Value));
                    break;
            }
        }
    }

    [GeneratedRegex("[^a-zA-Z0-9_:]")]
    private static partial Regex InvalidCharacters();

    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)\{")]
    private static partial Regex Selector();

    [GeneratedRegex(@"label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"\bturumba_[a-z0-9_]+(\*[a-z0-9_]*)?")]
    private static partial Regex TurumbaName();
}
