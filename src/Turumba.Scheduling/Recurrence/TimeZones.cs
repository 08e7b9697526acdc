using NodaTime;

namespace Turumba.Scheduling.Recurrence;

/// <summary>IANA zones from the TZDB that ships inside NodaTime, so every instance agrees whatever the host's own zone files say.</summary>
internal static class TimeZones
{
    public static DateTimeZone? Find(string? id) => string.IsNullOrWhiteSpace(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id.Trim());
}
