using Microsoft.Extensions.Logging;

namespace Turumba.Platform.Hosting;

/// <summary>
/// Logs an outage once when it starts and once when it ends, however many attempts fail in between:
/// a loop retrying every second through a five-minute PostgreSQL restart would otherwise write 300
/// identical errors. Attempts in between are logged at Debug. Safe to share between concurrent workers.
/// </summary>
public sealed partial class OutageLog(ILogger logger, string what)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _since;
    private int _failures;

    public bool InOutage
    {
        get
        {
            lock (_gate)
            {
                return _since is not null;
            }
        }
    }

    public void Failed(Exception exception, TimeSpan retryIn, TimeProvider clock)
    {
        bool first;
        lock (_gate)
        {
            first = _since is null;
            _since ??= clock.GetUtcNow();
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

    public void Succeeded(TimeProvider clock)
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

        LogRecovered(logger, what, clock.GetUtcNow() - since, failures);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{What} failed; retrying in {RetryIn} until it recovers (further failures are logged at Debug)")]
    private static partial void LogOutageStarted(ILogger logger, string what, TimeSpan retryIn, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{What} still failing; retrying in {RetryIn}: {Reason}")]
    private static partial void LogStillFailing(ILogger logger, string what, TimeSpan retryIn, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} recovered after {Duration} ({Failures} failed attempts)")]
    private static partial void LogRecovered(ILogger logger, string what, TimeSpan duration, int failures);
}
