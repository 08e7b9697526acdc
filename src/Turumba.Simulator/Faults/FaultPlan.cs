namespace Turumba.Simulator.Faults;

/// <summary>
/// How a simulated provider misbehaves: added latency, a share of 5xx answers, the next N
/// answers failing or rate-limited, tokens it refuses. Thread-safe; counters are consumed as requests arrive.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _rejectedTokens = new(StringComparer.Ordinal);
    private int _failNext;
    private int _rateLimitNext;

    public TimeSpan Latency { get; set; }

    /// <summary>Up to this much more latency, at random, on every answer (the chaos run's "random latency").</summary>
    public TimeSpan LatencyJitter { get; set; }

    /// <summary>The latency of one answer: <see cref="Latency"/> plus a random share of <see cref="LatencyJitter"/>.</summary>
    public TimeSpan NextLatency() =>
        LatencyJitter > TimeSpan.Zero ? Latency + (LatencyJitter * Random.Shared.NextDouble()) : Latency;

    /// <summary>Share of requests (0 to 1) answered with a 5xx at random.</summary>
    public double FailureRate { get; set; }

    public int RetryAfterSeconds { get; set; } = 1;

    public void FailNext(int count)
    {
        lock (_gate)
        {
            _failNext = count;
        }
    }

    public void RateLimitNext(int count, int retryAfterSeconds)
    {
        lock (_gate)
        {
            _rateLimitNext = count;
            RetryAfterSeconds = retryAfterSeconds;
        }
    }

    public void RejectToken(string token)
    {
        lock (_gate)
        {
            _rejectedTokens.Add(token);
        }
    }

    /// <summary>Whether <paramref name="token"/> is refused, without consuming any "next N" counter.</summary>
    public bool Rejects(string token)
    {
        lock (_gate)
        {
            return _rejectedTokens.Contains(token);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _rejectedTokens.Clear();
            _failNext = 0;
            _rateLimitNext = 0;
            Latency = TimeSpan.Zero;
            LatencyJitter = TimeSpan.Zero;
            FailureRate = 0;
        }
    }

    /// <summary>What the next request gets; consumes one of the "next N" counters when it applies.</summary>
    public Fault Next(string? token)
    {
        lock (_gate)
        {
            if (token is not null && _rejectedTokens.Contains(token))
            {
                return Fault.Unauthorized;
            }

            if (_failNext > 0)
            {
                _failNext--;
                return Fault.ServerError;
            }

            if (_rateLimitNext > 0)
            {
                _rateLimitNext--;
                return Fault.RateLimited;
            }

            return FailureRate > 0 && Random.Shared.NextDouble() < FailureRate ? Fault.ServerError : Fault.None;
        }
    }
}

public enum Fault
{
    None,
    Unauthorized,
    ServerError,
    RateLimited,
}
