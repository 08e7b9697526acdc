using MassTransit;
using Microsoft.Extensions.Options;
using Turumba.Contracts;

namespace Turumba.Dispatch.Sending;

/// <summary>Marks the channel type a <see cref="DispatchConsumer{TChannel}"/> serves, so each type gets its own queue.</summary>
internal interface IChannelTypeMarker
{
    static abstract string ChannelType { get; }
}

/// <summary>Consumes <c>message.dispatch.&lt;type&gt;</c>.</summary>
internal sealed class DispatchConsumer<TChannel>(DispatchPipeline pipeline) : IConsumer<DispatchMessage>
    where TChannel : IChannelTypeMarker
{
    public Task Consume(ConsumeContext<DispatchMessage> context) =>
        pipeline.DispatchAsync(context.Message, context, context.CancellationToken);
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
        endpointConfigurator.UseMessageRetry(r => r.Interval(30, TimeSpan.FromSeconds(10)).Handle<ChannelPausedException>());
    }
}

internal sealed class SmsChannel : IChannelTypeMarker
{
    public static string ChannelType => "sms";
}

internal sealed class SmppChannel : IChannelTypeMarker
{
    public static string ChannelType => "smpp";
}

internal sealed class TelegramChannel : IChannelTypeMarker
{
    public static string ChannelType => "telegram";
}

internal sealed class WhatsAppChannel : IChannelTypeMarker
{
    public static string ChannelType => "whatsapp";
}

internal sealed class MessengerChannel : IChannelTypeMarker
{
    public static string ChannelType => "messenger";
}

internal sealed class EmailChannel : IChannelTypeMarker
{
    public static string ChannelType => "email";
}
