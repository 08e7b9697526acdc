using Microsoft.Extensions.Logging;

namespace Turumba.Outbox;

/// <summary>
/// How the outbox's background loops wait out a database or broker outage: each loop doubles its
/// wait from one second to thirty (<see cref="NextWait"/>), and the outage is logged once when it
/// starts and once when it ends, the attempts in between at Debug, however many workers share it.
/// The host has helpers of its own for this; the outbox keeps this small one so that it depends on
/// nothing but MassTransit, EF Core and Npgsql and can be replaced by MassTransit's package.
/// </summary>
internal sealed partial class OutboxRetry(ILogger logger, string what)
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private DateTimeOffset? _since;
    private int _failures;

    public static TimeSpan NextWait(TimeSpan previous) =>
        previous == TimeSpan.Zero ? First : TimeSpan.FromTicks(Math.Min(previous.Ticks * 2, Cap.Ticks));

    public void Failed(Exception exception, TimeSpan retryIn)
    {
        bool first;
        lock (_gate)
        {
            first = _since is null;
            _since ??= DateTimeOffset.UtcNow;
            _failures++;
        }

        if (first)
        {
            LogOutageStarted(logger, what, retryIn, exception);
        }
        else
        {
            LogStillFailing(logger, what, retryIn, exception.Message);
        }
    }

    public void Succeeded()
    {
        DateTimeOffset since;
        int failures;
        lock (_gate)
        {
            if (_since is null)
            {
                return;
            }

            (since, failures) = (_since.Value, _failures);
            (_since, _failures) = (null, 0);
        }

        LogRecovered(logger, what, DateTimeOffset.UtcNow - since, failures);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{What} failed; retrying in {RetryIn} until it recovers (further failures are logged at Debug)")]
    private static partial void LogOutageStarted(ILogger logger, string what, TimeSpan retryIn, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{What} still failing; retrying in {RetryIn}: {Reason}")]
    private static partial void LogStillFailing(ILogger logger, string what, TimeSpan retryIn, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} recovered after {Duration} ({Failures} failed attempts)")]
    private static partial void LogRecovered(ILogger logger, string what, TimeSpan duration, int failures);
}
