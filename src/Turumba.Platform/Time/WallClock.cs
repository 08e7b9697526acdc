using NodaTime;
using NodaTime.TimeZones;

namespace Turumba.Platform.Time;

/// <summary>
/// Wall-clock times in IANA zones, from the TZDB inside NodaTime. A local time inside a
/// spring-forward gap maps to the first instant after the gap; one that happens twice at a
/// fall-back maps to the earlier instant (the same policy as schedules, decision 29).
/// </summary>
public static class WallClock
{
    public static readonly ZoneLocalMappingResolver Resolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    public static DateTimeZone? FindZone(string? id) => string.IsNullOrWhiteSpace(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id.Trim());

    public static Instant ToInstant(LocalDateTime local, DateTimeZone zone) => zone.ResolveLocal(local, Resolver).ToInstant();

    /// <summary>
    /// The instant <paramref name="recipient"/> shows the wall-clock time that <paramref name="at"/>
    /// shows in <paramref name="zone"/>: 09:00 in Addis Ababa becomes 09:00 in Berlin.
    /// </summary>
    public static DateTimeOffset SameLocalTime(DateTimeOffset at, DateTimeZone zone, DateTimeZone recipient) =>
        ToInstant(Instant.FromDateTimeOffset(at).InZone(zone).LocalDateTime, recipient).ToDateTimeOffset();
}
