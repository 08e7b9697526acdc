namespace Turumba.Dispatch.Sending;

/// <summary>Settings under <c>Turumba:Dispatch</c>.</summary>
internal sealed class DispatchOptions
{
    public const string Section = "Turumba:Dispatch";

    /// <summary>The first retry waits this long, each next one twice as long (2 s, 4 s, 8 s by default).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages one instance sends at once per channel-type queue.</summary>
    public int ConcurrencyPerQueue { get; set; } = 32;
}
