namespace Turumba.Outbox;

/// <summary>
/// Wakes every waiting delivery worker when an outbox was committed. A signal while nobody waits
/// is kept for the next wait, so a commit that lands between a worker's last query and its wait is not missed.
/// </summary>
internal sealed class OutboxWakeSignal<TDbContext>
{
    private readonly Lock _sync = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _generation;

    /// <summary>A stamp to pass to <see cref="WaitAsync"/>: signals after it wake the waiter at once.</summary>
    public long Generation
    {
        get
        {
            lock (_sync)
            {
                return _generation;
            }
        }
    }

    public void Set()
    {
        TaskCompletionSource fired;
        lock (_sync)
        {
            _generation++;
            fired = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        fired.TrySetResult();
    }

    /// <summary>Waits for a signal later than <paramref name="seen"/>, or the timeout.</summary>
    public async Task WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task next;
        lock (_sync)
        {
            if (_generation != seen)
            {
                return;
            }

            next = _next.Task;
        }

        try
        {
            await next.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The fallback poll.
        }
    }

    /// <summary>A pause that ends quietly when the host stops.</summary>
    public static async Task PauseAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Host shutdown; the caller's loop ends.
        }
    }
}
