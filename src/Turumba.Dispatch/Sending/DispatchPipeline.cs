using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Messaging;
using Turumba.Platform;
using Turumba.Platform.Persistence;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// Sends one message (SPEC §4): claim it (queued → sending), wait for a rate-limit slot, call the
/// adapter, and record the outcome — sent; retried after 2/4/8 s on transient failures, then
/// permanently_failed; failed at once on an auth or payload error (auth also puts the channel in
/// error); a provider 429 pauses the channel for every instance and is waited out without counting
/// as an attempt. A message that is not queued any more, or whose channel is disabled, is skipped.
/// </summary>
internal sealed partial class DispatchPipeline(
    IMessageStore messages,
    IChannelCatalog channels,
    ChannelAdapterRegistry adapters,
    RedisRateLimiter limiter,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ILogger<DispatchPipeline> logger)
{
    private static readonly TimeSpan MaxSlotWait = TimeSpan.FromMinutes(2);

    public async Task DispatchAsync(DispatchMessage command, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var channel = await channels.FindAsync(command.ChannelId, cancellationToken);
        if (channel is null || !channel.IsEnabled)
        {
            LogSkipped(logger, command.MessageId, channel is null ? "its channel no longer exists" : "its channel is disabled");
            return;
        }

        var message = await messages.TryStartSendingAsync(command.MessageId, command.CreatedAt, cancellationToken);
        if (message is null)
        {
            LogSkipped(logger, command.MessageId, "it is no longer queued");
            return;
        }

        var adapter = adapters.TryResolve(channel.ChannelType, channel.Provider);
        if (adapter is null)
        {
            await FailAsync(message, channel, MessageStatus.Failed, 0, "adapter_not_found", new AdapterNotFoundException(channel.ChannelType, channel.Provider).Message, publish, cancellationToken);
            return;
        }

        var payload = new DispatchPayload(message.Id, channel.Id, channel.ChannelType, channel.Credentials, message.DeliveryAddress, message.Body,
            message.Metadata, message.Metadata.GetValueOrDefault("media_url"), message.Metadata.GetValueOrDefault("media_type"),
            message.Metadata.GetValueOrDefault("reply_to_provider_message_id"));
        var limits = ChannelRateLimits.For(channel.Id, channel.RateLimit);
        var started = clock.GetTimestamp();
        var attempts = 0;
        while (true)
        {
            var channelType = channel.ChannelType;
            var slot = await limiter.AcquireAsync(ChannelRateLimits.PauseKey(channel.Id), limits, MaxSlotWait, clock, cancellationToken,
                _ => DispatchMetrics.RateLimitHits.Add(1, new KeyValuePair<string, object?>("channel_type", channelType)));
            if (!slot.Allowed)
            {
                // Still paused after the longest wait we hold a consumer for: let the broker redeliver.
                await messages.RequeueAsync(message.Id, message.CreatedAt, cancellationToken);
                throw new ChannelPausedException(channel.Id, slot.RetryAfter);
            }

            attempts++;
            try
            {
                var result = await adapter.SendAsync(payload, cancellationToken);
                await messages.MarkSentAsync(message.Id, message.CreatedAt, result.ProviderMessageId, attempts, clock.GetUtcNowForDatabase(), cancellationToken);
                if (channel.Status is ChannelStatus.RateLimited or ChannelStatus.Error)
                {
                    await channels.SetStatusAsync(channel.Id, ChannelStatus.Connected, null, cancellationToken);
                }

                await publish.Publish(Changed(message, channel, MessageStatus.Sent, result.ProviderMessageId, null), cancellationToken);
                DispatchMetrics.Record(channel.ChannelType, "sent", clock.GetElapsedTime(started));
                return;
            }
            catch (ProviderRateLimitException ex)
            {
                attempts--;
                DispatchMetrics.RateLimitHits.Add(1, new KeyValuePair<string, object?>("channel_type", channel.ChannelType));
                LogRateLimited(logger, channel.Id, ex.RetryAfter);
                await limiter.PauseAsync(ChannelRateLimits.PauseKey(channel.Id), ex.RetryAfter);
                await channels.SetStatusAsync(channel.Id, ChannelStatus.RateLimited, $"The provider asked to wait {ex.RetryAfter.TotalSeconds:F0} s.", cancellationToken);
                channel = channel with { Status = ChannelStatus.RateLimited };
            }
            catch (ProviderAuthException ex)
            {
                await channels.SetStatusAsync(channel.Id, ChannelStatus.Error, ex.Message, cancellationToken);
                await FailAsync(message, channel, MessageStatus.Failed, attempts, "auth_error", ex.Message, publish, cancellationToken);
                return;
            }
            catch (InvalidPayloadException ex)
            {
                await FailAsync(message, channel, MessageStatus.Failed, attempts, ex.ProviderCode ?? "invalid_payload", ex.Message, publish, cancellationToken);
                return;
            }
            catch (ProviderConnectionException ex) when (attempts <= channel.RetryCount)
            {
                var delay = options.Value.RetryBaseDelay * Math.Pow(2, attempts - 1);
                LogRetrying(logger, message.Id, attempts, delay, ex.Message);
                await Task.Delay(delay, clock, cancellationToken);
            }
            catch (ProviderConnectionException ex)
            {
                await FailAsync(message, channel, MessageStatus.PermanentlyFailed, attempts, ex.ProviderCode ?? "provider_unavailable", ex.Message, publish, cancellationToken);
                return;
            }
        }
    }

    private async Task FailAsync(
        MessageForDispatch message, ChannelSnapshot channel, MessageStatus status, int attempts, string code, string reason, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        await messages.MarkFailedAsync(message.Id, message.CreatedAt, status, attempts, code, reason, clock.GetUtcNowForDatabase(), cancellationToken);
        DispatchMetrics.Dispatched.Add(1, new KeyValuePair<string, object?>("channel_type", channel.ChannelType),
            new KeyValuePair<string, object?>("status", status.ToSnakeCase()));
        await publish.Publish(Changed(message, channel, status, null, reason), cancellationToken);
    }

    private MessageStatusChanged Changed(MessageForDispatch message, ChannelSnapshot channel, MessageStatus status, string? providerId, string? error) =>
        new(message.Id, message.CreatedAt, message.AccountId, channel.Id, message.GroupMessageId,
            status.ToSnakeCase(), providerId, error, clock.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped message {MessageId}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, Guid messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId} rate-limited by its provider for {RetryAfter}")]
    private static partial void LogRateLimited(ILogger logger, Guid channelId, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} attempt {Attempt} failed, retrying in {Delay}: {Reason}")]
    private static partial void LogRetrying(ILogger logger, Guid messageId, int attempt, TimeSpan delay, string reason);
}

/// <summary>The channel stayed paused longer than a consumer may wait; the message is queued again and redelivered.</summary>
internal sealed class ChannelPausedException(Guid channelId, TimeSpan retryAfter)
    : Exception($"Channel {channelId} is paused for another {retryAfter}.");
