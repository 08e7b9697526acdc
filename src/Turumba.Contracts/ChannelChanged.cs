namespace Turumba.Contracts;

/// <summary>A channel was created, changed, enabled, disabled or deleted; caches of it must go.</summary>
public sealed record ChannelChanged(Guid ChannelId, Guid AccountId, string ChannelType, ChannelChange Change, DateTimeOffset ChangedAt);

public enum ChannelChange
{
    Created,
    Updated,
    Deleted,
}
