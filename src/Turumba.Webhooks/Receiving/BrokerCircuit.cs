namespace Turumba.Webhooks.Receiving;

/// <summary>
/// Remembers, per instance, that the broker just failed to take a webhook's events, so that for the
/// next few seconds callbacks go straight to the outbox instead of each waiting out
/// <see cref="WebhookHandOff.BrokerPatience"/>: a burst of callbacks during an outage would otherwise
/// pile up hundreds of waiting requests and then exhaust the database pool all at once.
/// </summary>
internal sealed class BrokerCircuit(TimeProvider clock)
{
    public static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(5);
    private long _openUntilTicks;

    public bool IsOpen => clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _openUntilTicks);

    public void Open() => Interlocked.Exchange(ref _openUntilTicks, (clock.GetUtcNow() + OpenFor).UtcTicks);
}
