using Turumba.Platform.Time;

namespace Turumba.UnitTests.Time;

[TestFixture]
public sealed class WallClockTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset SameLocalTime(string at, string zone, string recipient) =>
        WallClock.SameLocalTime(Utc(at), WallClock.FindZone(zone)!, WallClock.FindZone(recipient)!);

    [Test]
    public void Nine_in_Addis_Ababa_is_nine_in_Berlin_and_New_York_at_their_own_instants()
    {
        // 09:00 EAT is 06:00Z; 09:00 CET 08:00Z; 09:00 EST 14:00Z (winter).
        Assert.Multiple(() =>
        {
            Assert.That(SameLocalTime("2026-12-03T06:00:00Z", "Africa/Addis_Ababa", "Africa/Addis_Ababa"), Is.EqualTo(Utc("2026-12-03T06:00:00Z")));
            Assert.That(SameLocalTime("2026-12-03T06:00:00Z", "Africa/Addis_Ababa", "Europe/Berlin"), Is.EqualTo(Utc("2026-12-03T08:00:00Z")));
            Assert.That(SameLocalTime("2026-12-03T06:00:00Z", "Africa/Addis_Ababa", "America/New_York"), Is.EqualTo(Utc("2026-12-03T14:00:00Z")));
        });
    }

    [Test]
    public void A_local_time_in_the_recipients_spring_forward_gap_goes_at_the_first_instant_after_it()
    {
        // 02:30 in Addis Ababa on 8 March 2026 does not exist in New York: 03:00 EDT, 07:00Z.
        Assert.That(SameLocalTime("2026-03-07T23:30:00Z", "Africa/Addis_Ababa", "America/New_York"), Is.EqualTo(Utc("2026-03-08T07:00:00Z")));
    }

    [Test]
    public void A_local_time_the_recipient_lives_twice_goes_at_the_first()
    {
        // 01:30 on 1 November 2026 happens twice in New York; the earlier is 05:30Z (EDT).
        Assert.That(SameLocalTime("2026-10-31T22:30:00Z", "Africa/Addis_Ababa", "America/New_York"), Is.EqualTo(Utc("2026-11-01T05:30:00Z")));
    }

    [Test]
    public void Unknown_or_blank_zones_are_not_found()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WallClock.FindZone("Mars/Olympus_Mons"), Is.Null);
            Assert.That(WallClock.FindZone(" "), Is.Null);
            Assert.That(WallClock.FindZone(null), Is.Null);
            Assert.That(WallClock.FindZone(" Europe/Berlin ")!.Id, Is.EqualTo("Europe/Berlin"));
        });
    }
}
