using Turumba.Channels;
using Turumba.Messaging;

namespace Turumba.Dispatch.Sending;

/// <summary>What one provider call returned: the provider's id, or the error it ended with.</summary>
internal readonly record struct SendResult(string? ProviderMessageId, Exception? Error, IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>What to do with a message after a provider call: record <see cref="Outcome"/>, or send it again.</summary>
internal readonly record struct SendDecision(DispatchOutcome? Outcome, TimeSpan? RetryAfter, bool CountsAsAttempt)
{
    public static SendDecision Record(DispatchOutcome outcome) => new(outcome, null, true);

    public static SendDecision Retry(TimeSpan after) => new(null, after, true);

    /// <summary>The provider asked the channel to wait (a 429): sent again after the pause, not an attempt.</summary>
    public static SendDecision WaitOutPause { get; } = new(null, null, false);
}

/// <summary>What a round of sends says about its channel: a pause to take, and the status to move it to (null: unchanged).</summary>
internal readonly record struct ChannelVerdict(TimeSpan? PauseFor, ChannelStatus? NewStatus, string? Reason);

/// <summary>
/// The rules of sending, without I/O: a result becomes sent; a provider 429 is waited out
/// without counting as an attempt; an auth or payload error fails at once; anything else is
/// retried after base, 2×base, 4×base… up to the channel's retry count, then permanently failed.
/// For the channel: a refused token puts it in error, a 429 rate-limits it, and a send that went
/// through on a channel marked either connects it again.
/// </summary>
internal static class SendPolicy
{
    public static SendDecision Decide(MessageForDispatch message, int attempts, SendResult result, int retryCount, TimeSpan retryBaseDelay, DateTimeOffset now) =>
        result.Error switch
        {
            null => SendDecision.Record(DispatchOutcome.Sent(message, result.ProviderMessageId!, attempts, now, result.Metadata)),
            ProviderRateLimitException => SendDecision.WaitOutPause,
            ProviderAuthException ex => SendDecision.Record(DispatchOutcome.Failed(message, MessageStatus.Failed, attempts, "auth_error", ex.Message, now)),
            InvalidPayloadException ex => SendDecision.Record(
                DispatchOutcome.Failed(message, MessageStatus.Failed, attempts, ex.ProviderCode ?? "invalid_payload", ex.Message, now)),
            _ when attempts <= retryCount => SendDecision.Retry(retryBaseDelay * Math.Pow(2, attempts - 1)),
            var ex => SendDecision.Record(DispatchOutcome.Failed(
                message, MessageStatus.PermanentlyFailed, attempts, (ex as ProviderConnectionException)?.ProviderCode ?? "provider_unavailable", ex.Message, now)),
        };

    /// <summary>The longest pause any 429 of the round asked for, and the channel status the round's results lead to.</summary>
    public static ChannelVerdict ForChannel(ChannelStatus current, IReadOnlyCollection<SendResult> results)
    {
        TimeSpan? pauseFor = null;
        string? authError = null;
        foreach (var result in results)
        {
            if (result.Error is ProviderRateLimitException limited)
            {
                pauseFor = pauseFor > limited.RetryAfter ? pauseFor : limited.RetryAfter;
            }

            authError ??= (result.Error as ProviderAuthException)?.Message;
        }

        var status = authError is not null ? ChannelStatus.Error
            : pauseFor is not null ? ChannelStatus.RateLimited
            : current is ChannelStatus.RateLimited or ChannelStatus.Error && results.Any(r => r.Error is null) ? ChannelStatus.Connected
            : current;
        if (status == current)
        {
            return new ChannelVerdict(pauseFor, null, null);
        }

        var reason = status switch
        {
            ChannelStatus.Error => authError,
            ChannelStatus.RateLimited => $"The provider asked to wait {pauseFor!.Value.TotalSeconds:F0} s.",
            _ => null,
        };
        return new ChannelVerdict(pauseFor, status, reason);
    }
}
