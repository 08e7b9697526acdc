using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Turumba.Outbox;

/// <summary>
/// A serialized message waiting to be sent (<c>platform.outbox_message</c>), either from a bus
/// outbox (<see cref="OutboxId"/>) or from a consumer's outbox (<see cref="InboxMessageId"/> +
/// <see cref="InboxConsumerId"/>). Same shape as MassTransit.EntityFrameworkCore's <c>OutboxMessage</c>.
/// </summary>
internal sealed class OutboxMessage : OutboxMessageContext
{
    private static readonly IReadOnlyDictionary<string, object> NoProperties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

    private Headers? _headers;
    private IReadOnlyDictionary<string, object>? _properties;

    /// <summary>Insert order; delivery of one outbox follows it.</summary>
    public long SequenceNumber { get; set; }

    public DateTime? EnqueueTime { get; set; }

    public DateTime SentTime { get; set; }

    public string? Headers { get; set; }

    /// <summary>Transport properties (routing key and the like), serialized.</summary>
    public string? Properties { get; set; }

    public Guid? InboxMessageId { get; set; }

    public Guid? InboxConsumerId { get; set; }

    public Guid? OutboxId { get; set; }

    public Guid MessageId { get; set; }

    public string ContentType { get; set; } = null!;

    public string MessageType { get; set; } = null!;

    public string Body { get; set; } = null!;

    public Guid? ConversationId { get; set; }

    public Guid? CorrelationId { get; set; }

    public Guid? InitiatorId { get; set; }

    public Guid? RequestId { get; set; }

    public Uri? SourceAddress { get; set; }

    public Uri? DestinationAddress { get; set; }

    public Uri? ResponseAddress { get; set; }

    public Uri? FaultAddress { get; set; }

    public DateTime? ExpirationTime { get; set; }

    Guid? MessageContext.MessageId => MessageId;

    DateTime? MessageContext.SentTime => SentTime;

    Headers MessageContext.Headers => _headers ?? EmptyHeaders.Instance;

    HostInfo MessageContext.Host => HostMetadataCache.Host;

    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties => _properties ?? NoProperties;

    /// <summary>Restores headers and transport properties before the message is sent.</summary>
    public void Deserialize(IObjectDeserializer deserializer)
    {
        var headers = string.IsNullOrWhiteSpace(Headers) ? null : deserializer.DeserializeObject<Dictionary<string, object?>>(Headers, null);
        _headers = headers is { Count: > 0 } ? new DictionarySendHeaders(headers!) : EmptyHeaders.Instance;
        _properties = string.IsNullOrWhiteSpace(Properties)
            ? NoProperties
            : deserializer.DeserializeObject<Dictionary<string, object>>(Properties, null) ?? NoProperties;
    }
}
