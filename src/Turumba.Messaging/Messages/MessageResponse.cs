using System.Text.Json.Nodes;

namespace Turumba.Messaging.Messages;

internal sealed record MessageResponse(
    Guid Id,
    Guid AccountId,
    Guid ChannelId,
    Guid? ContactId,
    Guid? SentByUserId,
    Guid? GroupMessageId,
    Guid? TemplateId,
    MessageDirection Direction,
    MessageStatus Status,
    string DeliveryAddress,
    string? MessageBody,
    string? OriginalTemplate,
    DateTimeOffset? ScheduledAt,
    DateTimeOffset? DeferredUntil,
    DateTimeOffset? SentAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? ReadAt,
    DateTimeOffset? FailedAt,
    JsonObject Metadata,
    JsonObject? ErrorDetails,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static MessageResponse From(Message m)
    {
        var metadata = m.Metadata.DeepClone().AsObject();
        if (m.ProviderMessageId is not null)
        {
            metadata["provider_message_id"] = m.ProviderMessageId;
        }

        return new MessageResponse(m.Id, m.AccountId, m.ChannelId, m.ContactId, m.SentByUserId, m.GroupMessageId, m.TemplateId,
            m.Direction, m.Status, m.DeliveryAddress, m.MessageBody, m.OriginalTemplate, m.ScheduledAt, m.DeferredUntil, m.SentAt, m.DeliveredAt,
            m.ReadAt, m.FailedAt, metadata, m.ErrorDetails, m.CreatedAt, m.UpdatedAt);
    }
}
