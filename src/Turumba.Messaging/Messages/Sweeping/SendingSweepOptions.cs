namespace Turumba.Messaging.Messages.Sweeping;

/// <summary>Settings under <c>Turumba:Messages:SendingSweep</c>.</summary>
internal sealed class SendingSweepOptions
{
    public const string Section = "Turumba:Messages:SendingSweep";

    /// <summary>
    /// A message claimed for sending this long ago without an outcome belongs to a dispatcher that
    /// died mid-call. Far above any legitimate claim: rate-limit waits come before the claim, and a
    /// claimed message waits at most about two minutes for a provider pause.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}
