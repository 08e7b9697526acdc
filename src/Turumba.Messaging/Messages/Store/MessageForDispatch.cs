namespace Turumba.Messaging;

/// <summary>What dispatch needs of a message it has just claimed (moved from queued to sending).</summary>
public sealed record MessageForDispatch(
    Guid Id,
    DateTimeOffset CreatedAt,
    Guid AccountId,
    Guid ChannelId,
    Guid? GroupMessageId,
    string DeliveryAddress,
    string Body,
    IReadOnlyDictionary<string, string> Metadata);
