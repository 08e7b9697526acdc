namespace Turumba.Platform.Messaging.Outbox;

/// <summary>Wakes the delivery service when an outbox was committed; many signals while it works collapse into one.</summary>
internal sealed class OutboxWakeSignal<TDbContext> : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Set()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; the next wait returns at once.
        }
    }

    /// <returns>Whether a signal arrived before the timeout.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
