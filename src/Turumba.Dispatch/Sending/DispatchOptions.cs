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

    /// <summary>
    /// Tries of a dispatch command that failed on PostgreSQL or Redis, waiting from
    /// <see cref="InfrastructureRetryMinInterval"/> and growing to <see cref="InfrastructureRetryMaxInterval"/>
    /// (1, 2, 4, 8, 16, 30… s by default: about three minutes in all, past a restart or failover).
    /// </summary>
    public int InfrastructureRetries { get; set; } = 10;

    public TimeSpan InfrastructureRetryMinInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan InfrastructureRetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the outcomes of provider calls are kept in memory and their recording tried again
    /// while PostgreSQL, Redis or the broker is away. Well under the sending sweep's timeout, which
    /// would otherwise close the messages as outcome_unknown first.
    /// </summary>
    public TimeSpan RecordRetryFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Batch commands (group sends) one instance works on at once per channel type; the rest wait with their messages still queued.</summary>
    public int BatchesPerChannelType { get; set; } = 4;
}
