using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Turumba.Platform.Time;

/// <summary>
/// A daily window of local time in which nothing is sent, <c>[start, end)</c>; a start after the end
/// crosses midnight (21:00–08:00 is quiet from 21:00 until 08:00 the next morning).
/// </summary>
public sealed record QuietHours(LocalTime Start, LocalTime End)
{
    private static readonly LocalTimePattern Pattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    /// <summary>Parses <c>HH:mm</c> bounds; on failure <paramref name="field"/> (<c>start</c> or <c>end</c>) and <paramref name="error"/> say what is wrong, for a 422.</summary>
    public static bool TryParse(string? start, string? end, out QuietHours? hours, out string? field, out string? error)
    {
        hours = null;
        var from = Parse(start);
        var until = Parse(end);
        (field, error) = from is null ? ("start", $"'{start}' is not a time of day as HH:mm (for example 21:00).")
            : until is null ? ("end", $"'{end}' is not a time of day as HH:mm (for example 08:00).")
            : from == until ? ("end", "end must differ from start (the window would be empty).")
            : ((string?)null, (string?)null);
        if (error is null)
        {
            hours = new QuietHours(from!.Value, until!.Value);
        }

        return error is null;
    }

    /// <summary>
    /// When <paramref name="at"/> falls inside the window in <paramref name="zone"/>, the instant the
    /// window ends there; otherwise null.
    /// </summary>
    public DateTimeOffset? EndIfInside(DateTimeOffset at, DateTimeZone zone)
    {
        var instant = Instant.FromDateTimeOffset(at);
        var local = instant.InZone(zone).LocalDateTime;
        var time = local.TimeOfDay;
        LocalDate? endDate = Start < End
            ? (time >= Start && time < End ? local.Date : null)
            : time >= Start ? local.Date.PlusDays(1)
            : time < End ? local.Date
            : null;
        if (endDate is not { } date)
        {
            return null;
        }

        var end = WallClock.ToInstant(date + End, zone);
        // At a fall-back the end's wall time may resolve to its earlier occurrence, already past: not inside.
        return end > instant ? end.ToDateTimeOffset() : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Pattern.Format(Start)}–{Pattern.Format(End)}");

    public static string Format(LocalTime time) => Pattern.Format(time);

    private static LocalTime? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var result = Pattern.Parse(text.Trim());
        return result.Success ? result.Value : null;
    }
}
