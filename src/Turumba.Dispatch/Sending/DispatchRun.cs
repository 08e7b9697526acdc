using MassTransit;
using Microsoft.Extensions.Logging;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Messaging;
using Turumba.Platform;
using Turumba.Platform.Hosting;
using Turumba.Platform.Persistence;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// One dispatch command's sends, in rounds: each takes rate-limit slots for as many as the
/// channel's, provider account's and tenant's limits allow (one Redis round trip), provider-call
/// permits for them, claims that many messages (queued → sending, one statement; retries first),
/// calls the adapter for each concurrently and records the outcomes with one statement.
/// <see cref="SendPolicy"/> says what each result means. Holds the command's state between rounds:
/// the messages not yet claimed (still queued, so a cancel stops them), those waiting for a retry,
/// and the channel as the last round left it.
/// </summary>
internal sealed partial class DispatchRun
{
    private static readonly TimeSpan MaxSlotWait = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan CancelCheckInterval = TimeSpan.FromSeconds(3);

    private readonly DispatchRunFactory _services;
    private readonly string _command;
    private readonly IPublishEndpoint _publish;
    private readonly IReadOnlyList<RateLimit> _limits;
    private readonly SemaphoreSlim _permits;
    private readonly string _pauseKey;
    private readonly Queue<MessageKey> _unclaimed;
    private readonly List<PendingSend> _retrying = [];
    private ChannelSnapshot _channel;
    private bool _usesCustomerWindow;

    public DispatchRun(
        DispatchRunFactory services, string command, ChannelSnapshot channel, IReadOnlyList<MessageKey> keys, IPublishEndpoint publish,
        IReadOnlyList<RateLimit> limits, SemaphoreSlim permits)
    {
        _services = services;
        _command = command;
        _channel = channel;
        _publish = publish;
        _limits = limits;
        _permits = permits;
        _pauseKey = ChannelRateLimits.PauseKey(channel.Id);
        _unclaimed = new Queue<MessageKey>(keys);
    }

    private IMessageStore Messages => _services.Messages;

    private TimeProvider Clock => _services.Clock;

    private ILogger Logger => _services.Logger;

    public async Task SendAsync(IChannelAdapter adapter, CancellationToken cancellationToken)
    {
        _usesCustomerWindow = adapter.UsesCustomerWindow;
        try
        {
            await SendRoundsAsync(adapter, cancellationToken);
        }
        catch (Exception ex) when (_retrying.Count > 0 && TransientFailure.Is(ex))
        {
            // The command is retried from the start, which claims only queued messages: hand back
            // those waiting for a provider retry, or they would stay sending until the sweeper
            // closes them. Best effort: the database may be the thing that is away.
            try
            {
                await Messages.RequeueAsync(RetryingKeys(), CancellationToken.None);
            }
            catch (Exception requeue) when (TransientFailure.Is(requeue))
            {
            }

            throw;
        }
    }

    /// <summary>No adapter serves the channel: its still-queued messages fail at once, without a provider call.</summary>
    public async Task FailAllAsync(string code, string reason, CancellationToken cancellationToken)
    {
        var keys = _unclaimed.ToList();
        var claimed = await Messages.TryStartSendingAsync(keys, cancellationToken);
        if (claimed.Count < keys.Count)
        {
            LogSkipped(Logger, keys.Count - claimed.Count, _command, "they are no longer queued");
        }

        var now = Clock.GetUtcNowForDatabase();
        await _services.Recorder.RecordAsync(_channel, claimed.Select(m => (m, DispatchOutcome.Failed(m, MessageStatus.Failed, 0, code, reason, now))).ToList(),
            _publish, cancellationToken);
    }

    private async Task SendRoundsAsync(IChannelAdapter adapter, CancellationToken cancellationToken)
    {
        while (_unclaimed.Count > 0 || _retrying.Count > 0)
        {
            var now = Clock.GetUtcNow();
            var ready = _retrying.Where(p => p.ReadyAt <= now).ToList();
            if (ready.Count + _unclaimed.Count == 0)
            {
                await Task.Delay(_retrying.Min(p => p.ReadyAt) - now, Clock, cancellationToken);
                continue;
            }

            var (round, slots) = await StartRoundAsync(ready, cancellationToken);
            if (slots is null || round.Count == 0)
            {
                slots?.Dispose();
                continue;
            }

            SendResult[] results;
            try
            {
                results = await Task.WhenAll(round.Select(p => SendOneAsync(adapter, p, cancellationToken)));
            }
            finally
            {
                // Also when stopped: whatever was sent has reached the provider by now.
                await slots.CompleteAsync(round.Count);
            }

            await RecordRoundAsync(round, results, cancellationToken);
        }
    }

    /// <summary>
    /// Takes rate-limit slots (for no more sends than permits are free, so a wait on a slow channel
    /// holds no permits), then permits for them, then the round's messages: ready retries first, then
    /// newly claimed ones. Every message returned holds one permit, given back by its send. Slots the
    /// round does not use (fewer permits free, or messages cancelled meanwhile) are given back, so a
    /// message that is not sent never costs its channel, provider account or tenant a slot; those it
    /// uses are held by the <see cref="RoundSlots"/> returned until the round's calls complete.
    /// </summary>
    private async Task<(List<PendingSend> Round, RoundSlots? Slots)> StartRoundAsync(List<PendingSend> ready, CancellationToken cancellationToken)
    {
        var grant = await WaitForSlotsAsync(ready, cancellationToken);
        if (grant is null)
        {
            return ([], null);
        }

        if (grant.Value.Granted == 0)
        {
            // Still paused after the longest wait we hold a consumer for: hand the claimed back;
            // the broker redelivers the command and the unclaimed are still queued.
            await Messages.RequeueAsync(RetryingKeys(), cancellationToken);
            throw new ChannelPausedException(_channel.Id);
        }

        var slots = new RoundSlots(_services.Limiter, _limits, grant.Value, Clock, Logger);
        try
        {
            return (await ClaimRoundAsync(ready, slots, cancellationToken), slots);
        }
        catch
        {
            slots.Dispose();
            throw;
        }
    }

    private async Task<List<PendingSend>> ClaimRoundAsync(List<PendingSend> ready, RoundSlots slots, CancellationToken cancellationToken)
    {
        var held = await TakePermitsAsync(slots.Granted, cancellationToken);
        var round = new List<PendingSend>(held);
        var refused = new List<(MessageForDispatch, DispatchOutcome)>();
        var someNotQueued = false;
        try
        {
            round.AddRange(ready.Take(held));
            _retrying.RemoveAll(round.Contains);
            var toClaim = new List<MessageKey>(held - round.Count);
            while (toClaim.Count < held - round.Count && _unclaimed.TryDequeue(out var key))
            {
                toClaim.Add(key);
            }

            if (toClaim.Count > 0)
            {
                var claimed = await Messages.TryStartSendingAsync(toClaim, cancellationToken);
                if (claimed.Count < toClaim.Count)
                {
                    LogSkipped(Logger, toClaim.Count - claimed.Count, _command, "they are no longer queued");
                }

                var claimedAt = Clock.GetTimestamp();
                (var sendable, refused) = await CheckRecipientsAsync(claimed, cancellationToken);
                // Looked up by the addresses as they will be sent (E.164), as inbound messages record their senders.
                var windows = _usesCustomerWindow && sendable.Count > 0
                    ? await Messages.LastInboundAtAsync(_channel.Id, sendable.Select(m => m.DeliveryAddress).ToList(), cancellationToken)
                    : null;
                round.AddRange(sendable.Select(m => new PendingSend(m, Payload(m, windows), claimedAt)));
                someNotQueued = claimed.Count < toClaim.Count;
            }
        }
        finally
        {
            if (held > round.Count)
            {
                _permits.Release(held - round.Count);
            }
        }

        // Suppressed and unreachable recipients give their permits and slots back: no provider call is made for them.
        slots.Return(slots.Granted - round.Count);
        if (refused.Count > 0)
        {
            LogSkipped(Logger, refused.Count, _command, "their recipients are suppressed or not phone numbers");
            await _services.Recorder.RecordAsync(_channel, refused, _publish, cancellationToken);
        }
        if (someNotQueued)
        {
            // Some were cancelled (a group send's cancel takes them all): find the rest before they take slots.
            // Only a shortcut, so a failure here must not strand the messages this round claimed.
            try
            {
                await DropNoLongerQueuedAsync(cancellationToken);
            }
            catch (Exception ex) when (TransientFailure.Is(ex))
            {
            }
        }

        return round;
    }

    /// <summary>
    /// The suppression check of a claimed round, tried again through infrastructure blips like the
    /// recorder's steps; if it still fails, the claimed messages go back to queued before the error
    /// is thrown, or they would stay sending (the command's retry claims only queued ones).
    /// </summary>
    private async Task<(List<MessageForDispatch> Sendable, List<(MessageForDispatch Message, DispatchOutcome Outcome)> Refused)> CheckRecipientsAsync(
        IReadOnlyList<MessageForDispatch> claimed, CancellationToken cancellationToken)
    {
        try
        {
            (List<MessageForDispatch>, List<(MessageForDispatch, DispatchOutcome)>) split = default;
            await _services.Recorder.PersistAsync("the suppression check",
                async () => split = await _services.Recipients.SplitAsync(_channel, claimed, Clock.GetUtcNowForDatabase(), cancellationToken), cancellationToken);
            return split;
        }
        catch (Exception ex) when (TransientFailure.Is(ex) || ex is OperationCanceledException)
        {
            try
            {
                await Messages.RequeueAsync(claimed.Select(m => new MessageKey(m.Id, m.CreatedAt)).ToList(), CancellationToken.None);
            }
            catch (Exception requeue) when (TransientFailure.Is(requeue))
            {
            }

            throw;
        }
    }

    /// <summary>Removes from the unclaimed the messages no longer queued (cancelled, or sent by a twin command).</summary>
    private async Task DropNoLongerQueuedAsync(CancellationToken cancellationToken)
    {
        if (_unclaimed.Count == 0)
        {
            return;
        }

        var queued = (await Messages.StillQueuedAsync(_unclaimed.ToList(), cancellationToken)).ToHashSet();
        if (queued.Count == _unclaimed.Count)
        {
            return;
        }

        LogSkipped(Logger, _unclaimed.Count - queued.Count, _command, "they are no longer queued");
        var kept = _unclaimed.Where(queued.Contains).ToList();
        _unclaimed.Clear();
        foreach (var key in kept)
        {
            _unclaimed.Enqueue(key);
        }
    }

    private async Task RecordRoundAsync(List<PendingSend> round, SendResult[] results, CancellationToken cancellationToken)
    {
        var outcomes = new List<(MessageForDispatch, DispatchOutcome)>(round.Count);
        var now = Clock.GetUtcNowForDatabase();
        for (var i = 0; i < round.Count; i++)
        {
            var send = round[i];
            var decision = SendPolicy.Decide(send.Message, send.Attempts, results[i], _channel.RetryCount, _services.Options.RetryBaseDelay, now);
            if (decision.Outcome is { } outcome)
            {
                outcomes.Add((send.Message, outcome));
                DispatchMetrics.Duration.Record(Clock.GetElapsedTime(send.ClaimedAt).TotalSeconds, ChannelTypeTag,
                    new KeyValuePair<string, object?>("provider", _channel.Provider ?? "default"),
                    new KeyValuePair<string, object?>("outcome", outcome.Status.ToSnakeCase()));
                continue;
            }

            if (!decision.CountsAsAttempt)
            {
                send.Attempts--;
            }

            if (decision.RetryAfter is { } delay)
            {
                LogRetrying(Logger, send.Message.Id, send.Attempts, delay, results[i].Error!.Message);
                send.ReadyAt = Clock.GetUtcNow() + delay;
            }

            _retrying.Add(send);
        }

        // What the round says about the channel is recorded before its messages, so whoever sees a
        // message's outcome sees the channel's status it caused.
        var verdict = SendPolicy.ForChannel(_channel.Status, results);
        if (verdict.PauseFor is { } pause)
        {
            DispatchMetrics.RateLimitHits.Add(1, ChannelTypeTag);
            LogRateLimited(Logger, _channel.Id, pause);
            await _services.Recorder.PersistAsync("the provider's pause", () => _services.Limiter.PauseAsync(_pauseKey, pause), cancellationToken);
        }

        if (verdict.NewStatus is { } status)
        {
            await _services.Recorder.PersistAsync(
                "the channel's status", () => _services.Channels.SetStatusAsync(_channel.Id, status, verdict.Reason, cancellationToken), cancellationToken);
            _channel = _channel with { Status = status };
        }

        await _services.Recorder.RecordAsync(_channel, outcomes, _publish, cancellationToken);
        await ReportSuppressedAsync(round, results, cancellationToken);
    }

    /// <summary>Recipients the provider refused for good (replied STOP, blocked the bot) go on the suppression list.</summary>
    private async Task ReportSuppressedAsync(List<PendingSend> round, SendResult[] results, CancellationToken cancellationToken)
    {
        var at = Clock.GetUtcNow();
        for (var i = 0; i < round.Count; i++)
        {
            if (results[i].Error is ChannelAdapterException { SuppressRecipient: { } reason })
            {
                var signal = new RecipientSuppressed(_channel.AccountId, _channel.Id, _channel.ChannelType, round[i].Message.DeliveryAddress, reason,
                    SuppressionSources.ProviderError, at);
                await _services.Recorder.PersistAsync("a suppression signal", () => _publish.Publish(signal, cancellationToken), cancellationToken);
            }
        }
    }

    /// <summary>At least one permit (waiting for it), then as many more as are free now, up to <paramref name="wanted"/>.</summary>
    private async Task<int> TakePermitsAsync(int wanted, CancellationToken cancellationToken)
    {
        await _permits.WaitAsync(cancellationToken);
        var taken = 1;
        while (taken < wanted && _permits.Wait(0, CancellationToken.None))
        {
            taken++;
        }

        return taken;
    }

    /// <summary>One provider call, on a permit taken for it; the permit is given back when the call ends.</summary>
    private async Task<SendResult> SendOneAsync(IChannelAdapter adapter, PendingSend send, CancellationToken cancellationToken)
    {
        try
        {
            send.Attempts++;
            var result = await adapter.SendAsync(send.Payload, cancellationToken);
            return new SendResult(result.ProviderMessageId, null, result.Metadata);
        }
        catch (Exception ex) when (ex is ChannelAdapterException or HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new SendResult(null, ex);
        }
        finally
        {
            _permits.Release();
        }
    }

    /// <summary>
    /// Rate-limit slots for as many sends as permits are free (at least one), in one round trip,
    /// waiting (bounded by <see cref="MaxSlotWait"/>) for at least one; a grant of 0 when the wait
    /// ran out. While it waits (a full window or a pause), it looks every few seconds for messages
    /// cancelled meanwhile, which need no slot: null when nothing is left to send, so a command whose
    /// messages were all cancelled ends within seconds instead of after the wait.
    /// </summary>
    private async Task<RateGrant?> WaitForSlotsAsync(List<PendingSend> ready, CancellationToken cancellationToken)
    {
        var deadline = Clock.GetUtcNow() + MaxSlotWait;
        while (true)
        {
            var grant = await _services.Limiter.TryAcquireManyAsync(_pauseKey, _limits, Math.Clamp(_permits.CurrentCount, 1, ready.Count + _unclaimed.Count));
            if (grant.Granted > 0)
            {
                return grant;
            }

            DispatchMetrics.RateLimitHits.Add(1, ChannelTypeTag);
            await DropNoLongerQueuedAsync(cancellationToken);
            if (ready.Count + _unclaimed.Count == 0)
            {
                return null;
            }

            var now = Clock.GetUtcNow();
            if (now + grant.RetryAfter > deadline)
            {
                return grant;
            }

            await Task.Delay(grant.RetryAfter < CancelCheckInterval ? grant.RetryAfter : CancelCheckInterval, Clock, cancellationToken);
        }
    }

    private KeyValuePair<string, object?> ChannelTypeTag => new("channel_type", _channel.ChannelType);

    private List<MessageKey> RetryingKeys() => _retrying.Select(p => new MessageKey(p.Message.Id, p.Message.CreatedAt)).ToList();

    private DispatchPayload Payload(MessageForDispatch message, IReadOnlyDictionary<string, DateTimeOffset>? windows) =>
        new(message.Id, _channel.Id, _channel.ChannelType, _channel.Credentials, message.DeliveryAddress, message.Body,
            message.Metadata, message.Metadata.GetValueOrDefault("media_url"), message.Metadata.GetValueOrDefault("media_type"),
            message.Metadata.GetValueOrDefault("reply_to_provider_message_id"),
            windows is not null && windows.TryGetValue(message.DeliveryAddress, out var lastInbound) ? lastInbound : null, message.GroupMessageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped {Count} message(s) of dispatch command {Command}: {Reason}")]
    internal static partial void LogSkipped(ILogger logger, int count, string command, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId} rate-limited by its provider for {RetryAfter}")]
    private static partial void LogRateLimited(ILogger logger, Guid channelId, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} attempt {Attempt} failed, retrying in {Delay}: {Reason}")]
    private static partial void LogRetrying(ILogger logger, Guid messageId, int attempt, TimeSpan delay, string reason);

    private sealed class PendingSend(MessageForDispatch message, DispatchPayload payload, long claimedAt)
    {
        public MessageForDispatch Message { get; } = message;

        public DispatchPayload Payload { get; } = payload;

        public long ClaimedAt { get; } = claimedAt;

        public int Attempts { get; set; }

        public DateTimeOffset ReadyAt { get; set; } = DateTimeOffset.MinValue;
    }
}
