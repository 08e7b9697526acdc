using System.Threading.Channels;

namespace Turumba.Scheduling.Trigger;

/// <summary>
/// Wakes the trigger early (a schedule was created, edited or resumed). A signal while the trigger
/// is busy is kept for its next wait, so a change committed during a batch is not slept through.
/// </summary>
internal sealed class ScheduleWakeSignal
{
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Set() => _signals.Writer.TryWrite(true);

    /// <summary>Waits for a signal or <paramref name="timeout"/>, whichever comes first, and consumes the signal.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (timeout > TimeSpan.Zero && !_signals.Reader.TryPeek(out _))
        {
            using var timer = new CancellationTokenSource(timeout, clock);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
            try
            {
                await _signals.Reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The timer: the next due time has come, or the fallback poll.
            }
        }

        _signals.Reader.TryRead(out _);
    }
}
