namespace Turumba.Channels.Caching;

/// <summary>Settings under <c>Turumba:Channels:Cache</c>.</summary>
internal sealed class ChannelCacheOptions
{
    public const string Section = "Turumba:Channels:Cache";

    /// <summary>Off: every lookup reads (and decrypts) the channel from PostgreSQL. For diagnosis and for measuring what the cache saves.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a channel stays cached in memory and in Redis when no change evicts it first.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The in-process level keeps entries at most this long (capped by <see cref="TimeToLive"/>):
    /// an eviction an instance missed (it was starting, or the broker was away) goes stale for no
    /// longer than this, while Redis still spares the database and the decryption work.
    /// </summary>
    public TimeSpan MemoryTimeToLive { get; set; } = TimeSpan.FromSeconds(30);
}
