namespace Turumba.Simulator.Faults;

/// <summary>The body of <c>PUT /_sim/{provider}/faults</c>, the same for every provider.</summary>
internal sealed record FaultsRequest(
    int? LatencyMs, double? FailureRate, int? FailNext, int? RateLimitNext, int? RetryAfter, List<string>? RejectTokens, string? Outcome = null)
{
    public void ApplyTo(FaultPlan faults)
    {
        faults.Latency = TimeSpan.FromMilliseconds(LatencyMs ?? 0);
        faults.FailureRate = FailureRate ?? 0;
        faults.FailNext(FailNext ?? 0);
        faults.RateLimitNext(RateLimitNext ?? 0, RetryAfter ?? 1);
        foreach (var token in RejectTokens ?? [])
        {
            faults.RejectToken(token);
        }
    }
}
