using MassTransit;
using Turumba.Contacts;
using Turumba.Contracts;
using Turumba.Messaging.Messages.Store;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Inbound;

/// <summary>
/// Queue <c>webhook.inbound</c>: stores what contacts send as <c>direction = inbound</c>,
/// <c>status = delivered</c> messages, linked to the contact whose address matches the sender.
/// </summary>
internal sealed class InboundMessageConsumer(MessageStore messages, IContactDirectory directory, TimeProvider clock) : IConsumer<InboundMessageReceived>
{
    public async Task Consume(ConsumeContext<InboundMessageReceived> context)
    {
        var inbound = context.Message;
        var contact = await directory.FindByAddressAsync(inbound.AccountId, inbound.ChannelType, inbound.SenderAddress, context.CancellationToken);
        var metadata = new Dictionary<string, string> { ["event_id"] = inbound.EventId };
        if (inbound.SenderName is not null)
        {
            metadata["sender_name"] = inbound.SenderName;
        }

        if (inbound.MediaFileIds.Count > 0)
        {
            metadata["media_file_ids"] = string.Join(',', inbound.MediaFileIds);
        }

        if (inbound.ReplyToProviderMessageId is not null)
        {
            metadata["reply_to_provider_message_id"] = inbound.ReplyToProviderMessageId;
        }

        await messages.InsertInboundAsync(
            new InboundMessageRecord(inbound.AccountId, inbound.ChannelId, contact?.Id, inbound.ProviderMessageId, inbound.SenderAddress,
                inbound.Body, inbound.ReceivedAt, metadata),
            clock.GetUtcNowForDatabase(),
            context.CancellationToken);
    }
}

internal sealed class InboundMessageConsumerDefinition : ConsumerDefinition<InboundMessageConsumer>
{
    public InboundMessageConsumerDefinition()
    {
        EndpointName = WebhookQueues.Inbound;
        ConcurrentMessageLimit = 16;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<InboundMessageConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
}
