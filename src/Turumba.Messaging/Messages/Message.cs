using System.Text.Json.Nodes;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages;

/// <summary>
/// One message to or from a contact. Stored in a table range-partitioned by month on
/// <see cref="Entity.CreatedAt"/>; the primary key is (id, created_at).
/// </summary>
internal sealed class Message : TenantEntity
{
    public Guid ChannelId { get; set; }

    public Guid? ContactId { get; set; }

    public Guid? SentByUserId { get; set; }

    public Guid? GroupMessageId { get; set; }

    public Guid? TemplateId { get; set; }

    public MessageDirection Direction { get; set; }

    public MessageStatus Status { get; set; }

    public required string DeliveryAddress { get; set; }

    public string? MessageBody { get; set; }

    public string? OriginalTemplate { get; set; }

    public DateTimeOffset? ScheduledAt { get; set; }

    /// <summary>
    /// A queued message is not sent before this (the recipient's local time of a group schedule, or
    /// the end of quiet hours); the scheduling role releases it then and clears it.
    /// </summary>
    public DateTimeOffset? DeferredUntil { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }

    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>The provider's id for the message; with the channel, how receipts find it.</summary>
    public string? ProviderMessageId { get; set; }

    public int Attempts { get; set; }

    public JsonObject Metadata { get; set; } = [];

    public JsonObject? ErrorDetails { get; set; }
}
