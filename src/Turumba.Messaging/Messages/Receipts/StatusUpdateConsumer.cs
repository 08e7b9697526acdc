using MassTransit;
using Turumba.Contracts;
using Turumba.Messaging.Messages.Store;
using Turumba.Platform;

namespace Turumba.Messaging.Messages.Receipts;

/// <summary>
/// Queue <c>message.status.update</c>: receipts arrive in bursts, so they are consumed in batches
/// and applied with one statement per batch; the changes, each with the status it left, are
/// published as one <see cref="MessageStatusesChanged"/>. A watermark report (Messenger) moves every
/// earlier message to its recipient. A report for a provider id no message carries yet (it overtook
/// the dispatcher's outcome statement) is parked for <see cref="EarlyReceiptService"/>, not dropped.
/// </summary>
internal sealed class StatusUpdateConsumer(MessageStore messages, TimeProvider clock) : IConsumer<Batch<ProviderStatusReported>>
{
    private static readonly Dictionary<string, MessageStatus> Known = new(StringComparer.Ordinal)
    {
        ["sent"] = MessageStatus.Sent,
        ["delivered"] = MessageStatus.Delivered,
        ["read"] = MessageStatus.Read,
        ["failed"] = MessageStatus.Failed,
    };

    public async Task Consume(ConsumeContext<Batch<ProviderStatusReported>> context)
    {
        var known = context.Message.Where(m => Known.ContainsKey(m.Message.Status)).Select(m => m.Message).ToList();
        var reports = known
            .Where(m => m.Watermark is null)
            .Select(m => new StatusReport(m.ChannelId, m.ProviderMessageId, Known[m.Status], m.OccurredAt, m.ErrorCode, m.ErrorMessage))
            .ToList();
        var watermarks = known
            .Where(m => m is { Watermark: not null, RecipientAddress: { Length: > 0 } })
            .Select(m => new WatermarkReport(m.ChannelId, m.RecipientAddress!, Known[m.Status], m.Watermark!.Value, m.OccurredAt))
            .ToList();

        // Messages named by id first: a watermark in the same batch then finds them already moved.
        var applied = (await messages.ApplyStatusReportsAsync(reports, context.CancellationToken, parkUnknown: true)).ToList();
        applied.AddRange(await messages.ApplyWatermarksAsync(watermarks, context.CancellationToken));
        ReceiptMetrics.Receipts.Add(applied.Count, new KeyValuePair<string, object?>("outcome", "applied"));
        ReceiptMetrics.Receipts.Add(Math.Max(0, context.Message.Length - applied.Count), new KeyValuePair<string, object?>("outcome", "ignored"));
        if (applied.Count == 0)
        {
            return;
        }

        await context.Publish(StatusChanges.From(applied, clock.GetUtcNow()), context.CancellationToken);
    }
}

internal sealed class StatusUpdateConsumerDefinition : ConsumerDefinition<StatusUpdateConsumer>
{
    public StatusUpdateConsumerDefinition()
    {
        EndpointName = WebhookQueues.StatusUpdate;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<StatusUpdateConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 1000;
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(500).SetTimeLimit(TimeSpan.FromMilliseconds(200)).SetConcurrencyLimit(2));
        endpointConfigurator.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
    }
}
