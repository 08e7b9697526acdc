using MassTransit;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Messaging;
using Turumba.Platform;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// Writes down what a round of sends achieved, per batch: one statement for the messages, one
/// counter increment per group send touched, and one <see cref="MessageStatusesChanged"/> event.
/// </summary>
internal sealed class DispatchRecorder(IMessageStore messages, GroupProgressCounters progress, TimeProvider clock)
{
    public async Task RecordAsync(
        ChannelSnapshot channel, IReadOnlyList<(MessageForDispatch Message, DispatchOutcome Outcome)> results, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (results.Count == 0)
        {
            return;
        }

        await messages.RecordOutcomesAsync(results.Select(r => r.Outcome).ToList(), cancellationToken);
        await progress.RecordAsync(results.Where(r => r.Message.GroupMessageId is not null)
            .Select(r => new GroupStatusMove(r.Message.GroupMessageId!.Value, MessageStatus.Sending, r.Outcome.Status)));

        var type = new KeyValuePair<string, object?>("channel_type", channel.ChannelType);
        foreach (var status in results.GroupBy(r => r.Outcome.Status))
        {
            DispatchMetrics.Dispatched.Add(status.Count(), type, new KeyValuePair<string, object?>("status", status.Key.ToSnakeCase()));
        }

        var at = clock.GetUtcNow();
        await publish.Publish(new MessageStatusesChanged(results.Select(r => new MessageStatusChange(
            r.Message.Id, r.Message.CreatedAt, r.Message.AccountId, channel.Id, r.Message.GroupMessageId, r.Outcome.Status.ToSnakeCase(),
            r.Outcome.ProviderMessageId, r.Outcome.ErrorMessage, at)).ToList()), cancellationToken);
    }
}
