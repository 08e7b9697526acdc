using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;

namespace Turumba.Outbox;

/// <summary>Turns a send that MassTransit has fully prepared into an <see cref="OutboxMessage"/> row.</summary>
internal static class OutboxMessageFactory
{
    /// <summary>Headers and properties are written with one serializer so any instance can read them back.</summary>
    public static IObjectDeserializer Serializer => SystemTextJsonMessageSerializer.Instance;

    public static OutboxMessage Create<T>(SendContext<T> context, Guid? outboxId = null, Guid? inboxMessageId = null, Guid? inboxConsumerId = null)
        where T : class
    {
        var messageId = context.MessageId ?? throw new MessageException(typeof(T), "The outbox needs a MessageId on every send.");
        var now = DateTime.UtcNow;
        var message = new OutboxMessage
        {
            MessageId = messageId,
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress,
            DestinationAddress = context.DestinationAddress,
            ResponseAddress = context.ResponseAddress,
            FaultAddress = context.FaultAddress,
            SentTime = context.SentTime ?? now,
            ContentType = (context.ContentType ?? context.Serialization.DefaultContentType).ToString(),
            MessageType = string.Join(";", context.SupportedMessageTypes),
            Body = context.Serializer.GetMessageBody(context).GetString(),
            OutboxId = outboxId,
            InboxMessageId = inboxMessageId,
            InboxConsumerId = inboxConsumerId,
            ExpirationTime = context.TimeToLive is { } ttl ? now + ttl : null,
            EnqueueTime = context.Delay is { } delay ? now + delay : null,
            Headers = Serializer.SerializeDictionary(context.Headers.GetAll()),
        };

        if (context is TransportSendContext<T> transport)
        {
            var properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transport.WritePropertiesTo(properties);
            message.Properties = Serializer.SerializeDictionary(properties);
        }

        return message;
    }
}
