using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Messaging;
using Turumba.Platform;
using Turumba.Platform.Hosting;
using Turumba.Platform.Persistence;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// Sends a dispatch command's messages (SPEC §4), per round rather than per message: rate-limit
/// slots for as many as the channel's, provider account's and tenant's limits allow (one Redis
/// round trip), claim that many (queued → sending, one statement), call the adapter for each
/// concurrently, and record the outcomes with one statement — sent; retried after 2/4/8 s on
/// transient failures, then permanently_failed; failed at once on an auth or payload error (auth
/// also puts the channel in error). A provider 429 pauses the channel for every instance and is
/// waited out without counting as an attempt. Messages no longer queued, or whose channel is
/// disabled, are skipped; messages not yet claimed stay queued, so a cancel still stops them.
/// </summary>
internal sealed partial class DispatchPipeline(
    IMessageStore messages,
    IChannelCatalog channels,
    ChannelAdapterRegistry adapters,
    RedisRateLimiter limiter,
    ChannelRateLimitPolicy limitPolicy,
    DispatchLocks locks,
    DispatchRecorder recorder,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ILogger<DispatchPipeline> logger)
{
    private static readonly TimeSpan MaxSlotWait = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan CancelCheckInterval = TimeSpan.FromSeconds(3);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _sendPermits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _batchGates = new(StringComparer.Ordinal);

    public async Task DispatchAsync(string command, Guid channelId, IReadOnlyList<MessageKey> keys, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var channel = await channels.FindAsync(channelId, cancellationToken);
        if (channel is null || !channel.IsEnabled)
        {
            LogSkipped(logger, keys.Count, command, channel is null ? "their channel no longer exists" : "their channel is disabled");
            return;
        }

        // A twin of this command is being worked on (or its worker died and the lock is expiring):
        // try again later rather than drop it, since the twin may not have claimed the messages yet.
        await using var held = await locks.TryAcquireAsync(command) ?? throw new DispatchBusyException(command);

        // Batches take turns so that each gets rounds big enough to be worth a round trip, and
        // messages waiting for their turn stay queued (a cancel still stops them).
        var gate = keys.Count > 1 ? _batchGates.GetOrAdd(channel.ChannelType, _ => new SemaphoreSlim(options.Value.BatchesPerChannelType)) : null;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            var adapter = adapters.TryResolve(channel.ChannelType, channel.Provider);
            if (adapter is null)
            {
                await FailUnsendableAsync(command, channel, keys, publish, cancellationToken);
                return;
            }

            await SendAllAsync(command, channel, adapter, keys, publish, cancellationToken);
        }
        finally
        {
            gate?.Release();
        }
    }

    /// <summary>
    /// Rounds of sends: each takes rate-limit slots, provider-call permits for them, claims that many
    /// messages (retries first), sends them concurrently and records the outcomes.
    /// </summary>
    private async Task SendAllAsync(
        string command, ChannelSnapshot channel, IChannelAdapter adapter, IReadOnlyList<MessageKey> keys, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var unclaimed = new Queue<MessageKey>(keys);
        var retrying = new List<PendingSend>();
        try
        {
            await SendRoundsAsync(command, channel, adapter, unclaimed, retrying, publish, cancellationToken);
        }
        catch (Exception ex) when (retrying.Count > 0 && TransientFailure.Is(ex))
        {
            // The command is retried from the start, which claims only queued messages: hand back
            // those waiting for a provider retry, or they would stay sending until the sweeper
            // closes them. Best effort: the database may be the thing that is away.
            try
            {
                await messages.RequeueAsync(retrying.Select(p => new MessageKey(p.Message.Id, p.Message.CreatedAt)).ToList(), CancellationToken.None);
            }
            catch (Exception requeue) when (TransientFailure.Is(requeue))
            {
            }

            throw;
        }
    }

    private async Task SendRoundsAsync(
        string command, ChannelSnapshot channel, IChannelAdapter adapter, Queue<MessageKey> unclaimed, List<PendingSend> retrying, IPublishEndpoint publish,
        CancellationToken cancellationToken)
    {
        var limits = limitPolicy.For(channel);
        var pauseKey = ChannelRateLimits.PauseKey(channel.Id);
        var permits = _sendPermits.GetOrAdd(channel.ChannelType, _ => new SemaphoreSlim(options.Value.SendsPerChannelType));
        while (unclaimed.Count > 0 || retrying.Count > 0)
        {
            var now = clock.GetUtcNow();
            var ready = retrying.Where(p => p.ReadyAt <= now).ToList();
            if (ready.Count + unclaimed.Count == 0)
            {
                await Task.Delay(retrying.Min(p => p.ReadyAt) - now, clock, cancellationToken);
                continue;
            }

            var round = await StartRoundAsync(command, channel, permits, pauseKey, limits, ready, retrying, unclaimed, cancellationToken);
            if (round.Count == 0)
            {
                continue;
            }

            var results = await Task.WhenAll(round.Select(p => SendOneAsync(adapter, p, permits, cancellationToken)));
            channel = await RecordRoundAsync(channel, round, results, retrying, pauseKey, publish, cancellationToken);
        }
    }

    /// <summary>
    /// Takes rate-limit slots (for no more sends than permits are free, so a wait on a slow channel
    /// holds no permits), then permits for them, then the round's messages: ready retries first, then
    /// newly claimed ones. Every message returned holds one permit, given back by its send. Slots the
    /// round does not use (fewer permits free, or messages cancelled meanwhile) are given back, so a
    /// message that is not sent never costs its channel, provider account or tenant a slot.
    /// </summary>
    private async Task<List<PendingSend>> StartRoundAsync(
        string command, ChannelSnapshot channel, SemaphoreSlim permits, string pauseKey, IReadOnlyList<RateLimit> limits,
        List<PendingSend> ready, List<PendingSend> retrying, Queue<MessageKey> unclaimed, CancellationToken cancellationToken)
    {
        var grant = await WaitForSlotsAsync(command, channel, pauseKey, limits, permits, ready, unclaimed, cancellationToken);
        if (grant is null)
        {
            return [];
        }

        if (grant.Value.Granted == 0)
        {
            // Still paused after the longest wait we hold a consumer for: hand the claimed back;
            // the broker redelivers the command and the unclaimed are still queued.
            await messages.RequeueAsync(retrying.Select(p => new MessageKey(p.Message.Id, p.Message.CreatedAt)).ToList(), cancellationToken);
            throw new ChannelPausedException(channel.Id);
        }

        var held = await TakePermitsAsync(permits, grant.Value.Granted, cancellationToken);
        var round = new List<PendingSend>(held);
        var someNotQueued = false;
        try
        {
            round.AddRange(ready.Take(held));
            retrying.RemoveAll(round.Contains);
            var toClaim = new List<MessageKey>(held - round.Count);
            while (toClaim.Count < held - round.Count && unclaimed.TryDequeue(out var key))
            {
                toClaim.Add(key);
            }

            if (toClaim.Count > 0)
            {
                var claimed = await messages.TryStartSendingAsync(toClaim, cancellationToken);
                if (claimed.Count < toClaim.Count)
                {
                    LogSkipped(logger, toClaim.Count - claimed.Count, command, "they are no longer queued");
                }

                var claimedAt = clock.GetTimestamp();
                round.AddRange(claimed.Select(m => new PendingSend(m, Payload(channel, m), claimedAt)));
                someNotQueued = claimed.Count < toClaim.Count;
            }
        }
        finally
        {
            if (held > round.Count)
            {
                permits.Release(held - round.Count);
            }
        }

        ReturnUnusedSlots(limits, grant.Value, grant.Value.Granted - round.Count);
        if (someNotQueued)
        {
            // Some were cancelled (a group send's cancel takes them all): find the rest before they take slots.
            // Only a shortcut, so a failure here must not strand the messages this round claimed.
            try
            {
                await DropNoLongerQueuedAsync(command, unclaimed, cancellationToken);
            }
            catch (Exception ex) when (TransientFailure.Is(ex))
            {
            }
        }

        return round;
    }

    /// <summary>Removes from <paramref name="unclaimed"/> the messages no longer queued (cancelled, or sent by a twin command).</summary>
    private async Task DropNoLongerQueuedAsync(string command, Queue<MessageKey> unclaimed, CancellationToken cancellationToken)
    {
        if (unclaimed.Count == 0)
        {
            return;
        }

        var queued = (await messages.StillQueuedAsync(unclaimed.ToList(), cancellationToken)).ToHashSet();
        if (queued.Count == unclaimed.Count)
        {
            return;
        }

        LogSkipped(logger, unclaimed.Count - queued.Count, command, "they are no longer queued");
        var kept = unclaimed.Where(queued.Contains).ToList();
        unclaimed.Clear();
        foreach (var key in kept)
        {
            unclaimed.Enqueue(key);
        }
    }

    private void ReturnUnusedSlots(IReadOnlyList<RateLimit> limits, RateGrant grant, int unused)
    {
        try
        {
            limiter.Return(limits, grant, unused);
        }
        catch (Exception ex) when (TransientFailure.Is(ex))
        {
            // The round's messages are claimed: they go on. The slots stay taken until their window ends.
            LogSlotsNotReturned(logger, unused, ex.Message);
        }
    }

    private async Task<ChannelSnapshot> RecordRoundAsync(
        ChannelSnapshot channel, List<PendingSend> round, SendResult[] results, List<PendingSend> retrying, string pauseKey, IPublishEndpoint publish,
        CancellationToken cancellationToken)
    {
        var outcomes = new List<(MessageForDispatch, DispatchOutcome)>(round.Count);
        TimeSpan? pauseFor = null;
        string? authError = null;
        for (var i = 0; i < round.Count; i++)
        {
            var send = round[i];
            var outcome = Decide(channel, send, results[i]);
            if (outcome is null)
            {
                retrying.Add(send);
            }
            else
            {
                outcomes.Add((send.Message, outcome));
                DispatchMetrics.Duration.Record(clock.GetElapsedTime(send.ClaimedAt).TotalSeconds, new KeyValuePair<string, object?>("channel_type", channel.ChannelType));
            }

            if (results[i].Error is ProviderRateLimitException limited)
            {
                pauseFor = pauseFor > limited.RetryAfter ? pauseFor : limited.RetryAfter;
            }

            authError ??= (results[i].Error as ProviderAuthException)?.Message;
        }

        // What the round says about the channel is recorded before its messages, so whoever sees a
        // message's outcome sees the channel's status it caused: a refused token → error, a 429 →
        // rate_limited (paused), a send that went through on a channel marked otherwise → connected.
        if (pauseFor is { } pause)
        {
            DispatchMetrics.RateLimitHits.Add(1, new KeyValuePair<string, object?>("channel_type", channel.ChannelType));
            LogRateLimited(logger, channel.Id, pause);
            await recorder.PersistAsync("the provider's pause", () => limiter.PauseAsync(pauseKey, pause), cancellationToken);
        }

        var status = authError is not null ? ChannelStatus.Error
            : pauseFor is not null ? ChannelStatus.RateLimited
            : channel.Status is ChannelStatus.RateLimited or ChannelStatus.Error && outcomes.Any(o => o.Item2.Status == MessageStatus.Sent) ? ChannelStatus.Connected
            : channel.Status;
        if (status != channel.Status)
        {
            var reason = status switch
            {
                ChannelStatus.Error => authError,
                ChannelStatus.RateLimited => $"The provider asked to wait {pauseFor!.Value.TotalSeconds:F0} s.",
                _ => null,
            };
            await recorder.PersistAsync("the channel's status", () => channels.SetStatusAsync(channel.Id, status, reason, cancellationToken), cancellationToken);
            channel = channel with { Status = status };
        }

        await recorder.RecordAsync(channel, outcomes, publish, cancellationToken);
        return channel;
    }

    private async Task FailUnsendableAsync(string command, ChannelSnapshot channel, IReadOnlyList<MessageKey> keys, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var claimed = await messages.TryStartSendingAsync(keys, cancellationToken);
        if (claimed.Count < keys.Count)
        {
            LogSkipped(logger, keys.Count - claimed.Count, command, "they are no longer queued");
        }

        var reason = new AdapterNotFoundException(channel.ChannelType, channel.Provider).Message;
        var now = clock.GetUtcNowForDatabase();
        await recorder.RecordAsync(channel, claimed.Select(m => (m, DispatchOutcome.Failed(m, MessageStatus.Failed, 0, "adapter_not_found", reason, now))).ToList(),
            publish, cancellationToken);
    }

    /// <summary>At least one permit (waiting for it), then as many more as are free now, up to <paramref name="wanted"/>.</summary>
    private static async Task<int> TakePermitsAsync(SemaphoreSlim permits, int wanted, CancellationToken cancellationToken)
    {
        await permits.WaitAsync(cancellationToken);
        var taken = 1;
        while (taken < wanted && permits.Wait(0, CancellationToken.None))
        {
            taken++;
        }

        return taken;
    }

    /// <summary>What one send's result means: an outcome to record, or null to try it again later.</summary>
    private DispatchOutcome? Decide(ChannelSnapshot channel, PendingSend send, SendResult result)
    {
        var now = clock.GetUtcNowForDatabase();
        switch (result.Error)
        {
            case null:
                return DispatchOutcome.Sent(send.Message, result.ProviderMessageId!, send.Attempts, now, result.Metadata);
            case ProviderRateLimitException:
                send.Attempts--;
                return null;
            case ProviderAuthException ex:
                return DispatchOutcome.Failed(send.Message, MessageStatus.Failed, send.Attempts, "auth_error", ex.Message, now);
            case InvalidPayloadException ex:
                return DispatchOutcome.Failed(send.Message, MessageStatus.Failed, send.Attempts, ex.ProviderCode ?? "invalid_payload", ex.Message, now);
            case var ex when send.Attempts <= channel.RetryCount:
                var delay = options.Value.RetryBaseDelay * Math.Pow(2, send.Attempts - 1);
                LogRetrying(logger, send.Message.Id, send.Attempts, delay, ex.Message);
                send.ReadyAt = clock.GetUtcNow() + delay;
                return null;
            case var ex:
                var code = (ex as ProviderConnectionException)?.ProviderCode ?? "provider_unavailable";
                return DispatchOutcome.Failed(send.Message, MessageStatus.PermanentlyFailed, send.Attempts, code, ex.Message, now);
        }
    }

    /// <summary>One provider call, on a permit taken for it; the permit is given back when the call ends.</summary>
    private static async Task<SendResult> SendOneAsync(IChannelAdapter adapter, PendingSend send, SemaphoreSlim permits, CancellationToken cancellationToken)
    {
        try
        {
            send.Attempts++;
            var result = await adapter.SendAsync(send.Payload, cancellationToken);
            return new SendResult(result.ProviderMessageId, null, result.Metadata);
        }
        catch (Exception ex) when (ex is ChannelAdapterException or HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new SendResult(null, ex, null);
        }
        finally
        {
            permits.Release();
        }
    }

    /// <summary>
    /// Rate-limit slots for as many sends as permits are free (at least one), in one round trip,
    /// waiting (bounded by <see cref="MaxSlotWait"/>) for at least one; a grant of 0 when the wait
    /// ran out. While it waits (a full window or a pause), it looks every few seconds for messages
    /// cancelled meanwhile, which need no slot: null when nothing is left to send, so a command whose
    /// messages were all cancelled ends within seconds instead of after the wait.
    /// </summary>
    private async Task<RateGrant?> WaitForSlotsAsync(
        string command, ChannelSnapshot channel, string pauseKey, IReadOnlyList<RateLimit> limits, SemaphoreSlim permits,
        List<PendingSend> ready, Queue<MessageKey> unclaimed, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + MaxSlotWait;
        while (true)
        {
            var grant = await limiter.TryAcquireManyAsync(pauseKey, limits, Math.Clamp(permits.CurrentCount, 1, ready.Count + unclaimed.Count));
            if (grant.Granted > 0)
            {
                return grant;
            }

            CountRateLimitHit(channel);
            await DropNoLongerQueuedAsync(command, unclaimed, cancellationToken);
            if (ready.Count + unclaimed.Count == 0)
            {
                return null;
            }

            var now = clock.GetUtcNow();
            if (now + grant.RetryAfter > deadline)
            {
                return grant;
            }

            await Task.Delay(grant.RetryAfter < CancelCheckInterval ? grant.RetryAfter : CancelCheckInterval, clock, cancellationToken);
        }
    }

    private static void CountRateLimitHit(ChannelSnapshot channel) =>
        DispatchMetrics.RateLimitHits.Add(1, new KeyValuePair<string, object?>("channel_type", channel.ChannelType));

    private static DispatchPayload Payload(ChannelSnapshot channel, MessageForDispatch message) =>
        new(message.Id, channel.Id, channel.ChannelType, channel.Credentials, message.DeliveryAddress, message.Body,
            message.Metadata, message.Metadata.GetValueOrDefault("media_url"), message.Metadata.GetValueOrDefault("media_type"),
            message.Metadata.GetValueOrDefault("reply_to_provider_message_id"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped {Count} message(s) of dispatch command {Command}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, int count, string command, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give back {Count} unused rate-limit slot(s); they stay taken until their window ends: {Reason}")]
    private static partial void LogSlotsNotReturned(ILogger logger, int count, string reason);

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

    private readonly record struct SendResult(string? ProviderMessageId, Exception? Error, IReadOnlyDictionary<string, string>? Metadata);
}

/// <summary>Another dispatcher holds this command's lock; the command is retried after a while.</summary>
internal sealed class DispatchBusyException(string command)
    : Exception($"Dispatch command {command} is being worked on elsewhere; trying again later.");

/// <summary>The channel stayed paused longer than a consumer may wait; the messages are queued again and redelivered.</summary>
internal sealed class ChannelPausedException(Guid channelId)
    : Exception($"Channel {channelId} is still paused; its messages were queued again.");
