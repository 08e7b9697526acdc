using Turumba.Platform.Time;

namespace Turumba.UnitTests.Time;

[TestFixture]
public sealed class QuietHoursTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static QuietHours Window(string start, string end)
    {
        Assert.That(QuietHours.TryParse(start, end, out var hours, out _, out var error), Is.True, error);
        return hours!;
    }

    private static DateTimeOffset? EndIfInside(string start, string end, string at, string zone) =>
        Window(start, end).EndIfInside(Utc(at), WallClock.FindZone(zone)!);

    [Test]
    public void A_window_crossing_midnight_holds_the_evening_until_the_next_morning()
    {
        // 22:30 in Addis Ababa (UTC+3) is inside 21:00–08:00; it ends at 08:00 the next day, 05:00Z.
        Assert.That(EndIfInside("21:00", "08:00", "2026-06-10T19:30:00Z", "Africa/Addis_Ababa"), Is.EqualTo(Utc("2026-06-11T05:00:00Z")));
    }

    [Test]
    public void A_window_crossing_midnight_holds_the_small_hours_until_the_same_morning()
    {
        // 03:00 local: still the night that started yesterday evening; it ends at 08:00 today.
        Assert.That(EndIfInside("21:00", "08:00", "2026-06-10T00:00:00Z", "Africa/Addis_Ababa"), Is.EqualTo(Utc("2026-06-10T05:00:00Z")));
    }

    [Test]
    public void The_bounds_are_start_inclusive_and_end_exclusive()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EndIfInside("21:00", "08:00", "2026-06-10T18:00:00Z", "Africa/Addis_Ababa"), Is.EqualTo(Utc("2026-06-11T05:00:00Z")), "21:00 is quiet");
            Assert.That(EndIfInside("21:00", "08:00", "2026-06-10T05:00:00Z", "Africa/Addis_Ababa"), Is.Null, "08:00 is not");
            Assert.That(EndIfInside("21:00", "08:00", "2026-06-10T17:59:59Z", "Africa/Addis_Ababa"), Is.Null, "20:59:59 is not");
        });
    }

    [Test]
    public void A_window_within_one_day_holds_only_its_own_hours()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EndIfInside("12:00", "14:00", "2026-06-10T10:30:00Z", "Africa/Addis_Ababa"), Is.EqualTo(Utc("2026-06-10T11:00:00Z")));
            Assert.That(EndIfInside("12:00", "14:00", "2026-06-10T11:00:00Z", "Africa/Addis_Ababa"), Is.Null);
            Assert.That(EndIfInside("12:00", "14:00", "2026-06-10T08:59:00Z", "Africa/Addis_Ababa"), Is.Null);
        });
    }

    [Test]
    public void The_same_instant_is_quiet_in_one_zone_and_not_in_another()
    {
        // 20:00Z: 22:00 in Berlin (summer, UTC+2) is quiet; 16:00 in New York is not.
        Assert.Multiple(() =>
        {
            Assert.That(EndIfInside("21:00", "08:00", "2026-06-10T20:00:00Z", "Europe/Berlin"), Is.EqualTo(Utc("2026-06-11T06:00:00Z")));
            Assert.That(EndIfInside("21:00", "08:00", "2026-06-10T20:00:00Z", "America/New_York"), Is.Null);
        });
    }

    [Test]
    public void The_night_the_clocks_go_forward_ends_at_local_morning_not_an_hour_late()
    {
        // Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST. 22:00 CET on the 28th (21:00Z) is quiet
        // until 08:00 CEST on the 29th, 06:00Z; a fixed +01:00 offset would say 07:00Z.
        Assert.That(EndIfInside("21:00", "08:00", "2026-03-28T21:00:00Z", "Europe/Berlin"), Is.EqualTo(Utc("2026-03-29T06:00:00Z")));
    }

    [Test]
    public void An_end_inside_the_spring_forward_gap_is_the_first_instant_after_it()
    {
        // 02:30 does not exist in Berlin on 29 March 2026; the window ends at 03:00 CEST, 01:00Z.
        Assert.That(EndIfInside("22:00", "02:30", "2026-03-28T23:00:00Z", "Europe/Berlin"), Is.EqualTo(Utc("2026-03-29T01:00:00Z")));
    }

    [Test]
    public void The_night_the_clocks_go_back_ends_at_local_morning()
    {
        // New York, 1 November 2026: 02:00 EDT becomes 01:00 EST. 23:00 EDT on 31 October (03:00Z)
        // is quiet until 08:00 EST, 13:00Z (an hour later in UTC than the night before).
        Assert.That(EndIfInside("21:00", "08:00", "2026-11-01T03:00:00Z", "America/New_York"), Is.EqualTo(Utc("2026-11-01T13:00:00Z")));
    }

    [Test]
    public void A_zone_without_daylight_saving_keeps_one_offset_all_year()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EndIfInside("21:00", "08:00", "2026-01-10T19:00:00Z", "Africa/Addis_Ababa"), Is.EqualTo(Utc("2026-01-11T05:00:00Z")));
            Assert.That(EndIfInside("21:00", "08:00", "2026-07-10T19:00:00Z", "Africa/Addis_Ababa"), Is.EqualTo(Utc("2026-07-11T05:00:00Z")));
        });
    }

    [TestCase("9:00", "08:00", "start")]
    [TestCase("21:00", "25:00", "end")]
    [TestCase("", "08:00", "start")]
    [TestCase("21:00", null, "end")]
    [TestCase("08:00", "08:00", "end")]
    [TestCase("21:00:00", "08:00", "start")]
    public void Bounds_that_are_not_HH_mm_or_make_an_empty_window_are_refused_naming_the_bound(string? start, string? end, string field)
    {
        Assert.Multiple(() =>
        {
            Assert.That(QuietHours.TryParse(start, end, out var hours, out var named, out var error), Is.False);
            Assert.That(hours, Is.Null);
            Assert.That(named, Is.EqualTo(field));
            Assert.That(error, Is.Not.Empty);
        });
    }
}
