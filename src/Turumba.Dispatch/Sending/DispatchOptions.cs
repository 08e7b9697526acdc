namespace Turumba.Dispatch.Sending;

/// <summary>Settings under <c>Turumba:Dispatch</c>.</summary>
internal sealed class DispatchOptions
{
    public const string Section = "Turumba:Dispatch";

    /// <summary>The first retry waits this long, each next one twice as long (2 s, 4 s, 8 s by default).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Dispatch commands (single messages or batches) one instance works on at once per channel-type queue.</summary>
    public int ConcurrencyPerQueue { get; set; } = 32;

    /// <summary>Provider calls one instance makes at once per channel type, across all the commands it works on.</summary>
    public int SendsPerChannelType { get; set; } = 64;

    /// <summary>Batch commands (group sends) one instance works on at once per channel type; the rest wait with their messages still queued.</summary>
    public int BatchesPerChannelType { get; set; } = 4;
}
