using NodaTime;
using NodaTime.TimeZones;

namespace Turumba.Scheduling.Recurrence;

/// <summary>
/// The run times of one schedule: <c>scheduled_at</c> (the first run, and the wall-clock time of
/// every later run of a named rule) in <c>timezone</c>, the rule, and <c>recurrence_end_at</c>.
/// A wall-clock time inside a spring-forward gap runs at the first instant after the gap; one that
/// happens twice at a fall-back runs once, at the earlier of the two.
/// </summary>
internal sealed class Occurrences
{
    // Spans a fall-back overlap and more, so a missed-run search never walks a long outage run by run.
    private static readonly Duration CatchUpWindow = Duration.FromDays(2);

    private static readonly ZoneLocalMappingResolver Resolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    private readonly Instant _scheduledAt;
    private readonly DateTimeZone _zone;
    private readonly RecurrenceRule? _rule;
    private readonly Instant? _endAt;
    private readonly LocalTime _timeOfDay;

    public Occurrences(DateTimeOffset scheduledAt, DateTimeZone zone, RecurrenceRule? rule, DateTimeOffset? endAt)
    {
        _scheduledAt = Instant.FromDateTimeOffset(scheduledAt);
        _zone = zone;
        _rule = rule;
        _endAt = endAt is { } end ? Instant.FromDateTimeOffset(end) : null;
        _timeOfDay = _scheduledAt.InZone(zone).TimeOfDay;
    }

    public DateTimeZone Zone => _zone;

    /// <summary>The first run (null when a cron rule never matches before the end).</summary>
    public DateTimeOffset? First()
    {
        var first = _rule is null || _rule.FirstRunIsScheduledAt ? _scheduledAt : Search(_scheduledAt - Duration.Epsilon);
        return first is { } at && (_endAt is null || at <= _endAt) ? at.ToDateTimeOffset() : null;
    }

    /// <summary>The first run strictly after <paramref name="after"/>, or null when there is none (one-time, or past the end).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        var first = First();
        if (first is null || after < first)
        {
            return first;
        }

        if (_rule is null)
        {
            return null;
        }

        var next = Search(Instant.FromDateTimeOffset(after));
        return next is { } at && (_endAt is null || at <= _endAt) ? at.ToDateTimeOffset() : null;
    }

    /// <summary>
    /// The run to fire when <paramref name="due"/> is past: the latest run at or before
    /// <paramref name="now"/>. After downtime a recurring schedule sends its latest missed run once,
    /// never a burst of catch-up sends.
    /// </summary>
    public DateTimeOffset LatestDue(DateTimeOffset due, DateTimeOffset now)
    {
        var latest = due;
        if (Instant.FromDateTimeOffset(now) - Instant.FromDateTimeOffset(due) > CatchUpWindow
            && NextAfter((Instant.FromDateTimeOffset(now) - CatchUpWindow).ToDateTimeOffset()) is { } recent && recent <= now && recent > due)
        {
            latest = recent;
        }

        while (NextAfter(latest) is { } next && next <= now)
        {
            latest = next;
        }

        return latest;
    }

    /// <summary>Up to <paramref name="count"/> runs after <paramref name="after"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Upcoming(DateTimeOffset after, int count)
    {
        var runs = new List<DateTimeOffset>(count);
        for (var next = NextAfter(after); next is { } at && runs.Count < count; next = NextAfter(at))
        {
            runs.Add(at);
        }

        return runs;
    }

    public LocalDateTime LocalTimeOf(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(_zone).LocalDateTime;

    // Resolving wall-clock times is monotonic, so the candidates after the local time of `after` are
    // enough; in a fall-back overlap the first few of them may map before `after` and are skipped.
    private Instant? Search(Instant after)
    {
        var local = after.InZone(_zone).LocalDateTime;
        while (_rule!.NextLocal(local, _timeOfDay) is { } candidate)
        {
            var at = _zone.ResolveLocal(candidate, Resolver).ToInstant();
            if (at > after)
            {
                return at;
            }

            local = candidate;
        }

        return null;
    }
}
