using System.Text.Json.Nodes;

namespace Turumba.Messaging;

/// <summary>
/// A message to write in bulk (a group send's batch). <see cref="Id"/> should be a UUIDv7. A queued
/// message with <see cref="DeferredUntil"/> waits for it (recipient's local time, quiet hours): it
/// gets no dispatch command now, and the scheduling role releases it then.
/// </summary>
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
    DateTimeOffset CreatedAt,
    DateTimeOffset? ScheduledAt = null,
    DateTimeOffset? DeferredUntil = null,
    JsonObject? Metadata = null);
