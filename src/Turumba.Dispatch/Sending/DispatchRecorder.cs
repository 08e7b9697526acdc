using MassTransit;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Messaging;
using Turumba.Platform;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// Writes down what a round of sends achieved, per batch: one statement for the messages, one
/// counter increment per group send touched, one <see cref="MessageStatusesChanged"/> event, and the
/// channel's status when sending proved it healthy again or broken.
/// </summary>
internal sealed class DispatchRecorder(IMessageStore messages, IChannelCatalog channels, GroupProgressCounters progress, TimeProvider clock)
{
    public async Task<ChannelSnapshot> RecordAsync(
        ChannelSnapshot channel, IReadOnlyList<(MessageForDispatch Message, DispatchOutcome Outcome)> results, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (results.Count == 0)
        {
            return channel;
        }

        await messages.RecordOutcomesAsync(results.Select(r => r.Outcome).ToList(), cancellationToken);
        await progress.RecordAsync(results.Where(r => r.Message.GroupMessageId is not null)
            .Select(r => new GroupStatusMove(r.Message.GroupMessageId!.Value, MessageStatus.Sending, r.Outcome.Status)));

        if (results.Any(r => r.Outcome.Status == MessageStatus.Sent) && channel.Status is ChannelStatus.RateLimited or ChannelStatus.Error)
        {
            await channels.SetStatusAsync(channel.Id, ChannelStatus.Connected, null, cancellationToken);
            channel = channel with { Status = ChannelStatus.Connected };
        }

        var type = new KeyValuePair<string, object?>("channel_type", channel.ChannelType);
        foreach (var status in results.GroupBy(r => r.Outcome.Status))
        {
            DispatchMetrics.Dispatched.Add(status.Count(), type, new KeyValuePair<string, object?>("status", status.Key.ToSnakeCase()));
        }

        var at = clock.GetUtcNow();
        await publish.Publish(new MessageStatusesChanged(results.Select(r => new MessageStatusChange(
            r.Message.Id, r.Message.CreatedAt, r.Message.AccountId, channel.Id, r.Message.GroupMessageId, r.Outcome.Status.ToSnakeCase(),
            r.Outcome.ProviderMessageId, r.Outcome.ErrorMessage, at)).ToList()), cancellationToken);
        return channel;
    }

    public async Task<ChannelSnapshot> ChannelRateLimitedAsync(ChannelSnapshot channel, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        await channels.SetStatusAsync(channel.Id, ChannelStatus.RateLimited, $"The provider asked to wait {retryAfter.TotalSeconds:F0} s.", cancellationToken);
        return channel with { Status = ChannelStatus.RateLimited };
    }

    public async Task<ChannelSnapshot> ChannelFailedAsync(ChannelSnapshot channel, string reason, CancellationToken cancellationToken)
    {
        await channels.SetStatusAsync(channel.Id, ChannelStatus.Error, reason, cancellationToken);
        return channel with { Status = ChannelStatus.Error };
    }
}
