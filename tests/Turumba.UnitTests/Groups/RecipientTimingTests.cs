using NodaTime;
using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Groups.FanOut;
using Turumba.Groups.GroupMessages;
using Turumba.Platform.Time;

namespace Turumba.UnitTests.Groups;

[TestFixture]
public sealed class RecipientTimingTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static ChannelSnapshot Channel(QuietHours? quiet = null, string? quietZone = null) => new(
        Guid.NewGuid(), Guid.NewGuid(), "telegram", null, ChannelStatus.Connected, true, new ChannelCredentials(new Dictionary<string, string>()),
        null, null, 3, 60, quiet is null ? null : new ChannelQuietHours(quiet, quietZone));

    private static GroupMessage Local(string at, string zone) =>
        new() { DeliverAt = GroupDeliverAt.RecipientLocal, ScheduledAt = Utc(at), Timezone = zone };

    private static DirectoryContact Contact(string? zone) => new(Guid.NewGuid(), "A", null, null, null, new Dictionary<string, string>(),
        zone is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["TimeZone"] = zone }, null);

    private static readonly QuietHours Night = new(new LocalTime(21, 0), new LocalTime(8, 0));

    [Test]
    public void Recipient_local_waits_for_each_recipients_own_nine_oclock()
    {
        // The run fires at 09:00 in Addis Ababa (06:00Z, winter).
        var timing = RecipientTiming.For(Local("2026-12-03T06:00:00Z", "Africa/Addis_Ababa"), Channel());
        var now = Utc("2026-12-03T06:00:00Z");
        Assert.Multiple(() =>
        {
            Assert.That(timing.Of(Contact("Africa/Addis_Ababa"), now), Is.EqualTo((Utc("2026-12-03T06:00:00Z"), (DateTimeOffset?)null)));
            Assert.That(timing.Of(Contact("Europe/Berlin"), now), Is.EqualTo((Utc("2026-12-03T08:00:00Z"), Utc("2026-12-03T08:00:00Z"))));
            Assert.That(timing.Of(Contact("America/New_York"), now), Is.EqualTo((Utc("2026-12-03T14:00:00Z"), Utc("2026-12-03T14:00:00Z"))));
            Assert.That(timing.Of(Contact(null), now).DeferredUntil, Is.Null, "no zone: the schedule's");
            Assert.That(timing.Of(Contact("Not/AZone"), now).DeferredUntil, Is.Null, "not a zone: the schedule's");
        });
    }

    [Test]
    public void A_recipient_whose_local_time_has_passed_gets_it_at_once()
    {
        // 09:00 in New York (14:00Z): 09:00 in Addis Ababa was 06:00Z, already past.
        var timing = RecipientTiming.For(Local("2026-12-03T14:00:00Z", "America/New_York"), Channel());
        var (scheduledAt, deferredUntil) = timing.Of(Contact("Africa/Addis_Ababa"), Utc("2026-12-03T14:00:00Z"));
        Assert.Multiple(() =>
        {
            Assert.That(scheduledAt, Is.EqualTo(Utc("2026-12-03T06:00:00Z")));
            Assert.That(deferredUntil, Is.Null);
        });
    }

    [Test]
    public void Quiet_hours_hold_a_recipient_whose_local_time_has_passed_into_its_night()
    {
        // 20:00 in New York is 01:00Z = 04:00 in Addis Ababa: quiet until 08:00 there (05:00Z).
        var timing = RecipientTiming.For(Local("2026-12-04T01:00:00Z", "America/New_York"), Channel(Night));
        Assert.That(timing.Of(Contact("Africa/Addis_Ababa"), Utc("2026-12-04T01:00:00Z")).DeferredUntil, Is.EqualTo(Utc("2026-12-04T05:00:00Z")));
    }

    [Test]
    public void Quiet_hours_are_read_in_the_contacts_zone_then_the_channels_then_UTC()
    {
        var now = Utc("2026-12-03T21:30:00Z"); // 22:30 Berlin, 16:30 New York, 00:30 Addis Ababa
        var send = new GroupMessage();
        Assert.Multiple(() =>
        {
            Assert.That(RecipientTiming.For(send, Channel(Night, "America/New_York")).Of(Contact("Europe/Berlin"), now).DeferredUntil,
                Is.EqualTo(Utc("2026-12-04T07:00:00Z")), "the contact's zone first");
            Assert.That(RecipientTiming.For(send, Channel(Night, "America/New_York")).Of(Contact(null), now).DeferredUntil,
                Is.Null, "then the channel's (16:30 is not quiet)");
            Assert.That(RecipientTiming.For(send, Channel(Night)).Of(Contact(null), now).DeferredUntil,
                Is.EqualTo(Utc("2026-12-04T08:00:00Z")), "then UTC (21:30 is quiet until 08:00Z)");
            Assert.That(RecipientTiming.For(send, Channel()).Of(Contact("Europe/Berlin"), now), Is.EqualTo(((DateTimeOffset?)null, (DateTimeOffset?)null)),
                "no quiet hours, no deferral");
        });
    }
}
