namespace Turumba.Groups.FanOut;

/// <summary>Settings under <c>Turumba:Groups</c>.</summary>
internal sealed class FanOutOptions
{
    public const string Section = "Turumba:Groups";

    /// <summary>Contacts read, rendered and committed together; also how far a crash can set a fan-out back.</summary>
    public int FanOutPageSize { get; set; } = 1_000;

    /// <summary>Messages per dispatch command.</summary>
    public int DispatchBatchSize { get; set; } = 100;

    /// <summary>
    /// A send still <c>queued</c> this long after it was queued, with no saga, lost its start event
    /// (published before the saga's queue existed, or lost by the broker); it is started again.
    /// </summary>
    public TimeSpan RestartQueuedAfter { get; set; } = TimeSpan.FromSeconds(30);
}
