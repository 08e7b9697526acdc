using System.Globalization;
using Cronos;
using NodaTime;

namespace Turumba.Scheduling.Recurrence;

/// <summary>
/// A parsed <c>recurrence_rule</c>: <c>daily</c>, <c>weekly:mon,wed,fri</c>, <c>monthly:1,15</c> or
/// <c>cron:&lt;5 fields&gt;</c>. Each answers the next local wall-clock time after a given one; turning
/// wall-clock times into instants (and daylight-saving gaps and overlaps) is <see cref="Occurrences"/>'s job.
/// </summary>
internal abstract record RecurrenceRule
{
    private static readonly Dictionary<string, IsoDayOfWeek> Days = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = IsoDayOfWeek.Monday, ["tue"] = IsoDayOfWeek.Tuesday, ["wed"] = IsoDayOfWeek.Wednesday, ["thu"] = IsoDayOfWeek.Thursday,
        ["fri"] = IsoDayOfWeek.Friday, ["sat"] = IsoDayOfWeek.Saturday, ["sun"] = IsoDayOfWeek.Sunday,
    };

    /// <summary>The first wall-clock time strictly after <paramref name="after"/> (null: none ever); named rules keep <paramref name="timeOfDay"/>.</summary>
    public abstract LocalDateTime? NextLocal(LocalDateTime after, LocalTime timeOfDay);

    /// <summary>Cron rules fix their own times: the first run is the first match at or after <c>scheduled_at</c>, not <c>scheduled_at</c> itself.</summary>
    public virtual bool FirstRunIsScheduledAt => true;

    public static bool TryParse(string? text, out RecurrenceRule? rule, out string error)
    {
        rule = null;
        error = string.Empty;
        var value = text?.Trim() ?? string.Empty;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var kind = (colon < 0 ? value : value[..colon]).ToLowerInvariant();
        var argument = colon < 0 ? null : value[(colon + 1)..].Trim();
        switch (kind)
        {
            case "daily" when argument is null:
                rule = new DailyRule();
                return true;
            case "weekly" when argument is not null:
                var days = new List<IsoDayOfWeek>();
                foreach (var day in argument.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (!Days.TryGetValue(day, out var parsed))
                    {
                        error = $"'{day}' is not a day: use mon, tue, wed, thu, fri, sat or sun (weekly:mon,wed,fri).";
                        return false;
                    }

                    days.Add(parsed);
                }

                rule = new WeeklyRule([.. days.Distinct().Order()]);
                return true;
            case "monthly" when argument is not null:
                var dates = new List<int>();
                foreach (var day in argument.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (!int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 31)
                    {
                        error = $"'{day}' is not a day of the month: use 1 to 31 (monthly:1,15).";
                        return false;
                    }

                    dates.Add(parsed);
                }

                rule = new MonthlyRule([.. dates.Distinct().Order()]);
                return true;
            case "cron" when argument is not null:
                try
                {
                    rule = new CronRule(CronExpression.Parse(argument, CronFormat.Standard));
                    return true;
                }
                catch (CronFormatException ex)
                {
                    error = $"'{argument}' is not a 5-field cron expression: {ex.Message}";
                    return false;
                }

            default:
                error = "Use daily, weekly:<days> (weekly:mon,wed,fri), monthly:<days> (monthly:1,15) or cron:<5-field expression>.";
                return false;
        }
    }

    public static RecurrenceRule Parse(string text) =>
        TryParse(text, out var rule, out var error) ? rule! : throw new FormatException(error);
}

internal sealed record DailyRule : RecurrenceRule
{
    public override LocalDateTime? NextLocal(LocalDateTime after, LocalTime timeOfDay)
    {
        var candidate = after.Date.At(timeOfDay);
        return candidate > after ? candidate : after.Date.PlusDays(1).At(timeOfDay);
    }
}

internal sealed record WeeklyRule(IReadOnlyList<IsoDayOfWeek> Days) : RecurrenceRule
{
    public override LocalDateTime? NextLocal(LocalDateTime after, LocalTime timeOfDay)
    {
        for (var date = after.Date; ; date = date.PlusDays(1))
        {
            if (Days.Contains(date.DayOfWeek) && date.At(timeOfDay) > after)
            {
                return date.At(timeOfDay);
            }
        }
    }
}

/// <summary>A day the month lacks (31 in April, 30 in February) falls on the month's last day, once.</summary>
internal sealed record MonthlyRule(IReadOnlyList<int> DaysOfMonth) : RecurrenceRule
{
    public override LocalDateTime? NextLocal(LocalDateTime after, LocalTime timeOfDay)
    {
        for (var month = new LocalDate(after.Year, after.Month, 1); ; month = month.PlusMonths(1))
        {
            var length = month.Calendar.GetDaysInMonth(month.Year, month.Month);
            foreach (var day in DaysOfMonth.Select(d => Math.Min(d, length)).Distinct().Order())
            {
                var candidate = new LocalDate(month.Year, month.Month, day).At(timeOfDay);
                if (candidate > after)
                {
                    return candidate;
                }
            }
        }
    }
}

/// <summary>
/// Cronos matches the fields on wall-clock time (evaluated as UTC, which has no daylight saving);
/// the zone is applied afterwards by <see cref="Occurrences"/>, so cron rules get the same gap and
/// overlap policy as the named rules.
/// </summary>
internal sealed record CronRule(CronExpression Expression) : RecurrenceRule
{
    public override bool FirstRunIsScheduledAt => false;

    public override LocalDateTime? NextLocal(LocalDateTime after, LocalTime timeOfDay)
    {
        var from = DateTime.SpecifyKind(after.ToDateTimeUnspecified(), DateTimeKind.Utc);
        return Expression.GetNextOccurrence(from, TimeZoneInfo.Utc) is { } next ? LocalDateTime.FromDateTime(next) : null;
    }
}
