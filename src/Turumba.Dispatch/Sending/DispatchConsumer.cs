using MassTransit;
using Microsoft.Extensions.Options;
using Turumba.Contracts;
using Turumba.Messaging;
using Turumba.Platform;
using Turumba.Platform.Hosting;

namespace Turumba.Dispatch.Sending;

/// <summary>Marks the channel type a <see cref="DispatchConsumer{TChannel}"/> serves, so each type gets its own queue.</summary>
internal interface IChannelTypeMarker
{
    static abstract string ChannelType { get; }
}

/// <summary>Consumes <c>message.dispatch.&lt;type&gt;</c>: single messages (the API) and batches (group sends).</summary>
internal sealed class DispatchConsumer<TChannel>(DispatchPipeline pipeline) : IConsumer<DispatchMessage>, IConsumer<DispatchBatch>
    where TChannel : IChannelTypeMarker
{
    public Task Consume(ConsumeContext<DispatchMessage> context) =>
        pipeline.DispatchAsync(context.Message.MessageId.ToString(), context.Message.ChannelId,
            [new MessageKey(context.Message.MessageId, context.Message.CreatedAt)], context, context.CancellationToken);

    public Task Consume(ConsumeContext<DispatchBatch> context) =>
        pipeline.DispatchAsync(context.Message.BatchId.ToString(), context.Message.ChannelId,
            context.Message.Messages.Select(m => new MessageKey(m.MessageId, m.CreatedAt)).ToList(), context, context.CancellationToken);
}

internal sealed class DispatchConsumerDefinition<TChannel> : ConsumerDefinition<DispatchConsumer<TChannel>>
    where TChannel : IChannelTypeMarker
{
    private readonly DispatchOptions _options;

    public DispatchConsumerDefinition(IOptions<DispatchOptions> options)
    {
        _options = options.Value;
        EndpointName = DispatchQueues.For(TChannel.ChannelType);
        ConcurrentMessageLimit = _options.ConcurrencyPerQueue;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<DispatchConsumer<TChannel>> consumerConfigurator, IRegistrationContext context)
    {
        // Commands are sent straight to this queue; it need not be bound to the message type's exchange.
        endpointConfigurator.ConfigureConsumeTopology = false;
        endpointConfigurator.PrefetchCount = _options.ConcurrencyPerQueue * 2;
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Interval(30, TimeSpan.FromSeconds(10));
            r.Handle<ChannelPausedException>();
            r.Handle<DispatchBusyException>();
        });

        // A PostgreSQL or Redis blip (restart, failover, killed backend) is waited out here, in
        // memory: the broker has no delayed redelivery. The consumer slot is held meanwhile, which
        // costs nothing while the outage stops every other command too. A command that outlives
        // the retries goes to the error queue with its messages still queued, and the queued sweep
        // sends it again.
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Exponential(_options.InfrastructureRetries, _options.InfrastructureRetryMinInterval, _options.InfrastructureRetryMaxInterval,
                _options.InfrastructureRetryMinInterval);
            r.Handle<Exception>(TransientFailure.Is);
        });
    }
}

internal sealed class SmsChannel : IChannelTypeMarker
{
    public static string ChannelType => ChannelTypes.Sms;
}

internal sealed class SmppChannel : IChannelTypeMarker
{
    public static string ChannelType => ChannelTypes.Smpp;
}

internal sealed class TelegramChannel : IChannelTypeMarker
{
    public static string ChannelType => ChannelTypes.Telegram;
}

internal sealed class WhatsAppChannel : IChannelTypeMarker
{
    public static string ChannelType => ChannelTypes.WhatsApp;
}

internal sealed class MessengerChannel : IChannelTypeMarker
{
    public static string ChannelType => ChannelTypes.Messenger;
}

internal sealed class EmailChannel : IChannelTypeMarker
{
    public static string ChannelType => ChannelTypes.Email;
}
