namespace Turumba.Channels.Caching;

/// <summary>Settings under <c>Turumba:Channels:Cache</c>.</summary>
internal sealed class ChannelCacheOptions
{
    public const string Section = "Turumba:Channels:Cache";

    /// <summary>How long a channel stays cached in memory and in Redis when no change evicts it first.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(5);
}
