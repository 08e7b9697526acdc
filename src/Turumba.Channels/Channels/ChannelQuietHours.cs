using NodaTime;
using Turumba.Platform.Time;

namespace Turumba.Channels;

/// <summary>
/// A channel's quiet hours and the zone they are read in when the recipient has none of its own.
/// The recipient's zone is its contact's <c>timezone</c> attribute, else <see cref="Timezone"/>, else UTC.
/// </summary>
public sealed record ChannelQuietHours(QuietHours Hours, string? Timezone)
{
    public static ChannelQuietHours? From(TimeOnly? start, TimeOnly? end, string? timezone) =>
        start is { } s && end is { } e ? new ChannelQuietHours(new QuietHours(LocalTime.FromTimeOnly(s), LocalTime.FromTimeOnly(e)), timezone) : null;

    /// <summary>When a message reaching the recipient at <paramref name="at"/> would arrive inside quiet hours, the instant they end; otherwise null.</summary>
    public DateTimeOffset? EndIfInside(DateTimeOffset at, string? recipientTimezone) =>
        Hours.EndIfInside(at, WallClock.FindZone(recipientTimezone) ?? WallClock.FindZone(Timezone) ?? DateTimeZone.Utc);
}
