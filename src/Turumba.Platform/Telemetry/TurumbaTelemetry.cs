using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Turumba.Platform.Telemetry;

/// <summary>
/// The names under which Turumba's own activities and instruments are published. Modules create
/// their instruments from <see cref="Meter"/> and their spans from <see cref="ActivitySource"/>.
/// </summary>
public static class TurumbaTelemetry
{
    public const string Name = "Turumba";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);
}
