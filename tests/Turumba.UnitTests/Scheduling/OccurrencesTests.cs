using Turumba.Scheduling.Recurrence;

namespace Turumba.UnitTests.Scheduling;

[TestFixture]
public sealed class OccurrencesTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static IReadOnlyList<DateTimeOffset> Runs(string scheduledAt, string zone, string? rule, int count, string? endAt = null)
    {
        var occurrences = new Occurrences(Utc(scheduledAt), TimeZones.Find(zone)!, rule is null ? null : RecurrenceRule.Parse(rule),
            endAt is null ? null : Utc(endAt));
        return occurrences.Upcoming(Utc(scheduledAt).AddTicks(-1), count);
    }

    private static DateTimeOffset[] All(params string[] times) => [.. times.Select(Utc)];

    [Test]
    public void Daily_keeps_the_local_time_across_spring_forward_in_New_York()
    {
        // 09:00 EST is 14:00Z; from 8 March 2026 09:00 EDT is 13:00Z.
        Assert.That(Runs("2026-03-07T14:00:00Z", "America/New_York", "daily", 3),
            Is.EqualTo(All("2026-03-07T14:00:00Z", "2026-03-08T13:00:00Z", "2026-03-09T13:00:00Z")));
    }

    [Test]
    public void A_time_in_the_spring_forward_gap_runs_at_the_first_instant_after_it()
    {
        // 02:30 does not exist on 8 March 2026 in New York: the clocks go from 02:00 EST to 03:00 EDT (07:00Z).
        Assert.That(Runs("2026-03-07T07:30:00Z", "America/New_York", "daily", 3),
            Is.EqualTo(All("2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z")));
    }

    [Test]
    public void A_time_repeated_at_fall_back_runs_once_at_the_first_of_the_two()
    {
        // 01:30 happens twice on 1 November 2026 in New York: 05:30Z (EDT) and 06:30Z (EST).
        Assert.That(Runs("2026-10-31T05:30:00Z", "America/New_York", "daily", 3),
            Is.EqualTo(All("2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z")));
    }

    [Test]
    public void Berlin_gap_and_overlap_follow_the_same_policy()
    {
        // 29 March 2026 02:00 CET → 03:00 CEST; 25 October 2026 03:00 CEST → 02:00 CET.
        Assert.That(Runs("2026-03-28T01:30:00Z", "Europe/Berlin", "daily", 3),
            Is.EqualTo(All("2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z")));
        Assert.That(Runs("2026-10-24T00:30:00Z", "Europe/Berlin", "daily", 3),
            Is.EqualTo(All("2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z")));
    }

    [Test]
    public void London_morning_runs_move_an_hour_in_UTC_when_summer_time_starts()
    {
        Assert.That(Runs("2026-03-28T09:00:00Z", "Europe/London", "daily", 2), Is.EqualTo(All("2026-03-28T09:00:00Z", "2026-03-29T08:00:00Z")));
    }

    [Test]
    public void A_zone_without_daylight_saving_keeps_one_offset()
    {
        Assert.That(Runs("2026-03-27T06:00:00Z", "Africa/Addis_Ababa", "daily", 4),
            Is.EqualTo(All("2026-03-27T06:00:00Z", "2026-03-28T06:00:00Z", "2026-03-29T06:00:00Z", "2026-03-30T06:00:00Z")));
    }

    [Test]
    public void Weekly_runs_on_the_named_days_after_the_first_run()
    {
        // Tuesday 8 December 2026 09:00 in Addis Ababa is the first run; then Wednesday, Friday, Monday.
        Assert.That(Runs("2026-12-08T06:00:00Z", "Africa/Addis_Ababa", "weekly:mon,wed,fri", 4),
            Is.EqualTo(All("2026-12-08T06:00:00Z", "2026-12-09T06:00:00Z", "2026-12-11T06:00:00Z", "2026-12-14T06:00:00Z")));
    }

    [Test]
    public void Monthly_on_a_day_the_month_lacks_falls_on_its_last_day()
    {
        Assert.That(Runs("2026-01-31T10:00:00Z", "Etc/UTC", "monthly:31", 4),
            Is.EqualTo(All("2026-01-31T10:00:00Z", "2026-02-28T10:00:00Z", "2026-03-31T10:00:00Z", "2026-04-30T10:00:00Z")));
        Assert.That(Runs("2028-01-30T10:00:00Z", "Etc/UTC", "monthly:30", 2), Is.EqualTo(All("2028-01-30T10:00:00Z", "2028-02-29T10:00:00Z")),
            "a leap year's February ends on the 29th");
    }

    [Test]
    public void Monthly_with_several_days_runs_on_each_and_a_clamped_pair_runs_once()
    {
        Assert.That(Runs("2026-01-15T10:00:00Z", "Etc/UTC", "monthly:1,15", 4),
            Is.EqualTo(All("2026-01-15T10:00:00Z", "2026-02-01T10:00:00Z", "2026-02-15T10:00:00Z", "2026-03-01T10:00:00Z")));
        Assert.That(Runs("2026-01-30T10:00:00Z", "Etc/UTC", "monthly:30,31", 4),
            Is.EqualTo(All("2026-01-30T10:00:00Z", "2026-01-31T10:00:00Z", "2026-02-28T10:00:00Z", "2026-03-30T10:00:00Z")));
    }

    [Test]
    public void Cron_runs_at_its_own_times_in_the_zone_from_scheduled_at_on()
    {
        // Weekdays at 09:00 New York time, starting Friday 6 March 2026 at midnight: Friday 14:00Z, then Monday 13:00Z (EDT).
        Assert.That(Runs("2026-03-06T05:00:00Z", "America/New_York", "cron:0 9 * * 1-5", 2),
            Is.EqualTo(All("2026-03-06T14:00:00Z", "2026-03-09T13:00:00Z")));
        Assert.That(Runs("2026-03-07T12:00:00Z", "America/New_York", "cron:30 2 * * *", 2),
            Is.EqualTo(All("2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z")), "the gap policy applies to cron rules too");
    }

    [Test]
    public void Recurrence_end_at_is_the_last_possible_run()
    {
        Assert.That(Runs("2026-05-01T08:00:00Z", "Etc/UTC", "daily", 10, endAt: "2026-05-03T08:00:00Z"),
            Is.EqualTo(All("2026-05-01T08:00:00Z", "2026-05-02T08:00:00Z", "2026-05-03T08:00:00Z")));
    }

    [Test]
    public void A_one_time_schedule_has_one_run()
    {
        Assert.That(Runs("2026-05-01T08:00:00Z", "Etc/UTC", null, 10), Is.EqualTo(All("2026-05-01T08:00:00Z")));
    }

    [Test]
    public void After_downtime_only_the_latest_missed_run_fires()
    {
        var daily = new Occurrences(Utc("2026-12-01T09:00:00Z"), TimeZones.Find("Etc/UTC")!, RecurrenceRule.Parse("daily"), null);
        var everyMinute = new Occurrences(Utc("2026-01-01T00:00:00Z"), TimeZones.Find("Etc/UTC")!, RecurrenceRule.Parse("cron:* * * * *"), null);

        Assert.Multiple(() =>
        {
            Assert.That(daily.LatestDue(Utc("2026-12-01T09:00:00Z"), Utc("2026-12-05T10:00:00Z")), Is.EqualTo(Utc("2026-12-05T09:00:00Z")));
            Assert.That(daily.LatestDue(Utc("2026-12-01T09:00:00Z"), Utc("2026-12-01T09:00:01Z")), Is.EqualTo(Utc("2026-12-01T09:00:00Z")));
            Assert.That(everyMinute.LatestDue(Utc("2026-01-01T00:00:00Z"), Utc("2026-11-30T12:34:56Z")), Is.EqualTo(Utc("2026-11-30T12:34:00Z")));
        });
    }

    [TestCase("hourly")]
    [TestCase("daily:3")]
    [TestCase("weekly:")]
    [TestCase("weekly:mon,funday")]
    [TestCase("monthly:0")]
    [TestCase("monthly:32")]
    [TestCase("monthly:1,x")]
    [TestCase("cron:61 * * * *")]
    [TestCase("cron:* * * *")]
    [TestCase("")]
    public void Bad_rules_are_refused_with_a_reason(string rule)
    {
        Assert.That(RecurrenceRule.TryParse(rule, out _, out var error), Is.False);
        Assert.That(error, Is.Not.Empty);
    }

    [TestCase("daily")]
    [TestCase("weekly:mon,wed,fri")]
    [TestCase("WEEKLY:Sun")]
    [TestCase("monthly:15")]
    [TestCase("monthly:1,15")]
    [TestCase("cron:*/15 9-17 * * 1-5")]
    public void Good_rules_parse(string rule) => Assert.That(RecurrenceRule.TryParse(rule, out _, out _), Is.True);
}
