using MassTransit;
using Microsoft.Extensions.Logging;
using Turumba.Contracts;
using Turumba.Platform;
using Turumba.Platform.Addresses;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Suppressions.Signals;

/// <summary>
/// Queue <c>contacts.opt_out_keywords</c>, its own copy of every <see cref="InboundMessageReceived"/>:
/// an SMS that is only STOP (or STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) suppresses its sender on
/// the channel type; START, UNSTOP or YES lifts what such a keyword put there. Other channel types
/// and other messages are ignored. The inbound message itself is stored by messaging as any other.
/// </summary>
internal sealed partial class OptOutKeywordConsumer(SuppressionWriter writer, TimeProvider clock, ILogger<OptOutKeywordConsumer> logger)
    : IConsumer<InboundMessageReceived>
{
    public async Task Consume(ConsumeContext<InboundMessageReceived> context)
    {
        var inbound = context.Message;
        if (inbound.ChannelType is not (ChannelTypes.Sms or ChannelTypes.Smpp))
        {
            return;
        }

        var keyword = OptOutKeywords.Match(inbound.Body);
        if (keyword == OptOutKeyword.None)
        {
            return;
        }

        var address = DeliveryAddresses.ForLookup(inbound.ChannelType, inbound.SenderAddress);
        if (keyword == OptOutKeyword.OptOut)
        {
            await writer.AddAsync(inbound.AccountId, inbound.ChannelType, address, SuppressionReason.OptOut, SuppressionSources.SmsKeyword,
                clock.GetUtcNowForDatabase(), context.CancellationToken);
            LogOptedOut(logger, inbound.AccountId, inbound.ChannelType);
            return;
        }

        var lifted = await writer.LiftOptOutAsync(inbound.AccountId, inbound.ChannelType, address, context.CancellationToken);
        LogOptedIn(logger, inbound.AccountId, inbound.ChannelType, lifted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A recipient of account {AccountId} opted out by keyword on {ChannelType}")]
    private static partial void LogOptedOut(ILogger logger, Guid accountId, string channelType);

    [LoggerMessage(Level = LogLevel.Information, Message = "A recipient of account {AccountId} opted back in by keyword on {ChannelType}; {Lifted} suppression(s) lifted")]
    private static partial void LogOptedIn(ILogger logger, Guid accountId, string channelType, int lifted);
}

internal sealed class OptOutKeywordConsumerDefinition : ConsumerDefinition<OptOutKeywordConsumer>
{
    public OptOutKeywordConsumerDefinition()
    {
        EndpointName = ContactQueues.OptOutKeywords;
        // One at a time per instance, so a STOP and the START right after it are applied in the order they came.
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<OptOutKeywordConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
}
