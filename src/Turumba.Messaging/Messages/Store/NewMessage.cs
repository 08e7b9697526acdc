namespace Turumba.Messaging;

/// <summary>A message to write in bulk (a group send's batch). <see cref="Id"/> should be a UUIDv7.</summary>
public sealed record NewMessage(
    Guid Id,
    Guid AccountId,
    Guid ChannelId,
    Guid? ContactId,
    Guid? GroupMessageId,
    Guid? TemplateId,
    MessageStatus Status,
    string DeliveryAddress,
    string? MessageBody,
    string? OriginalTemplate,
    DateTimeOffset CreatedAt);
