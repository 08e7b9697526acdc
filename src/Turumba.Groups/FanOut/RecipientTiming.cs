using NodaTime;
using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Groups.GroupMessages;
using Turumba.Platform.Time;

namespace Turumba.Groups.FanOut;

/// <summary>
/// When each recipient of a group send may get it: at once, at the send's local time in the
/// recipient's zone (<c>recipient_local</c>), and in either case not inside the channel's quiet
/// hours. A recipient whose local time has already passed when the send fans out gets it at once
/// (still subject to quiet hours), never a day later.
/// </summary>
internal sealed class RecipientTiming
{
    private readonly DateTimeOffset? _localAt;
    private readonly DateTimeZone? _zone;
    private readonly ChannelQuietHours? _quietHours;

    private RecipientTiming(DateTimeOffset? localAt, DateTimeZone? zone, ChannelQuietHours? quietHours) =>
        (_localAt, _zone, _quietHours) = (localAt, zone, quietHours);

    public static RecipientTiming For(GroupMessage group, ChannelSnapshot channel) =>
        group.DeliverAt == GroupDeliverAt.RecipientLocal && group.ScheduledAt is { } at
            ? new RecipientTiming(at, WallClock.FindZone(group.Timezone) ?? DateTimeZone.Utc, channel.QuietHours)
            : new RecipientTiming(null, null, channel.QuietHours);

    /// <summary>
    /// The recipient's own scheduled time (<c>recipient_local</c> only), and when its message must
    /// wait until (null: send now). A contact's <c>timezone</c> that is not an IANA zone counts as none.
    /// </summary>
    public (DateTimeOffset? ScheduledAt, DateTimeOffset? DeferredUntil) Of(DirectoryContact contact, DateTimeOffset now)
    {
        var contactZone = WallClock.FindZone(contact.Timezone);
        DateTimeOffset? scheduledAt = null;
        var due = now;
        if (_zone is not null)
        {
            scheduledAt = WallClock.SameLocalTime(_localAt!.Value, _zone, contactZone ?? _zone);
            due = scheduledAt > now ? scheduledAt.Value : now;
        }

        var quietEnd = _quietHours?.EndIfInside(due, (contactZone ?? _zone)?.Id);
        var deferredUntil = quietEnd ?? (due > now ? due : null);
        return (scheduledAt, deferredUntil);
    }
}
