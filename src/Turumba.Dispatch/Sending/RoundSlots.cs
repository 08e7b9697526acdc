using Microsoft.Extensions.Logging;
using Turumba.Platform.Hosting;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// The rate-limit slots one round took, held so that they count where the provider counts. A
/// request reaches the provider after its slot was granted and before its call completes, so when
/// the round's calls have completed its slots are re-stamped to that time (one Redis call for the
/// round) and each counts for a whole window after its request arrived. A round longer than half
/// its shortest window from grant to completion (waiting for permits, slow calls) re-stamps its
/// slots every half window meanwhile, so none leaves its window while its request may still be on
/// the way. An instance that dies mid-round leaves its slots to expire a window after the last
/// re-stamp.
/// </summary>
internal sealed partial class RoundSlots : IDisposable
{
    private readonly RedisRateLimiter _limiter;
    private readonly IReadOnlyList<RateLimit> _limits;
    private readonly RateGrant _grant;
    private readonly ILogger _logger;
    private readonly ITimer? _inFlight;

    public RoundSlots(RedisRateLimiter limiter, IReadOnlyList<RateLimit> limits, RateGrant grant, TimeProvider clock, ILogger logger)
    {
        _limiter = limiter;
        _limits = limits;
        _grant = grant;
        _logger = logger;
        if (limits.Count > 0 && grant.Slots is not null)
        {
            var every = limits.Min(l => l.Window) / 2;
            _inFlight = clock.CreateTimer(_ => _ = RestampAsync(grant.Granted), null, every, every);
        }
    }

    public int Granted => _grant.Granted;

    /// <summary>Gives back the last <paramref name="unused"/> slots: no provider call is made for them.</summary>
    public void Return(int unused)
    {
        try
        {
            _limiter.Return(_limits, _grant, unused);
        }
        catch (Exception ex) when (TransientFailure.Is(ex))
        {
            // The round's messages are claimed: they go on. The slots stay taken until their window ends.
            LogNotReturned(_logger, unused, ex.Message);
        }
    }

    /// <summary>The round's calls have completed (or stopped): its first <paramref name="used"/> slots count from now.</summary>
    public async Task CompleteAsync(int used)
    {
        Dispose();
        await RestampAsync(used);
    }

    public void Dispose() => _inFlight?.Dispose();

    private async Task RestampAsync(int used)
    {
        try
        {
            await _limiter.RestampAsync(_limits, _grant, used);
        }
        catch (Exception ex) when (TransientFailure.Is(ex))
        {
            LogNotRestamped(_logger, used, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give back {Count} unused rate-limit slot(s); they stay taken until their window ends: {Reason}")]
    private static partial void LogNotReturned(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not re-stamp {Count} rate-limit slot(s) to their calls' completion; they count from their grant or last re-stamp: {Reason}")]
    private static partial void LogNotRestamped(ILogger logger, int count, string reason);
}
