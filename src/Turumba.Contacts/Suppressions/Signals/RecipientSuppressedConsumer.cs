using MassTransit;
using Turumba.Contracts;
using Turumba.Platform.Addresses;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Suppressions.Signals;

/// <summary>Queue <c>contacts.suppressions</c>: what providers refused for good goes on the list (a repeat finds it there).</summary>
internal sealed class RecipientSuppressedConsumer(SuppressionWriter writer, TimeProvider clock) : IConsumer<RecipientSuppressed>
{
    public async Task Consume(ConsumeContext<RecipientSuppressed> context)
    {
        var signal = context.Message;
        await writer.AddAsync(signal.AccountId, signal.ChannelType, DeliveryAddresses.ForLookup(signal.ChannelType, signal.Address),
            SuppressionReasons.Parse(signal.Reason) ?? SuppressionReason.Blocked, signal.Source, clock.GetUtcNowForDatabase(),
            context.CancellationToken);
    }
}

internal sealed class RecipientSuppressedConsumerDefinition : ConsumerDefinition<RecipientSuppressedConsumer>
{
    public RecipientSuppressedConsumerDefinition()
    {
        EndpointName = ContactQueues.Suppressions;
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RecipientSuppressedConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
}
