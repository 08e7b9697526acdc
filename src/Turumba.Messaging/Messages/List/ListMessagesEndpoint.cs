using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api.Querying;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.List;

internal static class ListMessagesEndpoint
{
    internal static readonly ListQueryDefinition<Message> Definition = new ListQueryDefinition<Message>()
        .Filter("id", m => m.Id, FilterOperators.Exact)
        .Filter("status", m => m.Status, FilterOperators.Exact)
        .Filter("direction", m => m.Direction, FilterOperators.Exact)
        .Filter("channel_id", m => m.ChannelId, FilterOperators.Exact)
        .Filter("contact_id", m => m.ContactId, FilterOperators.Exact)
        .Filter("template_id", m => m.TemplateId, FilterOperators.Exact)
        .Filter("group_message_id", m => m.GroupMessageId, FilterOperators.Exact)
        .Filter("sent_by_user_id", m => m.SentByUserId, FilterOperators.Exact)
        .Filter("delivery_address", m => m.DeliveryAddress, FilterOperators.Text)
        .Filter("message_body", m => m.MessageBody, FilterOperators.Contains | FilterOperators.IContains)
        .Filter("provider_message_id", m => m.ProviderMessageId, FilterOperators.Exact)
        .Filter("created_at", m => m.CreatedAt, FilterOperators.Ordered)
        .Filter("updated_at", m => m.UpdatedAt, FilterOperators.Ordered)
        .Filter("scheduled_at", m => m.ScheduledAt, FilterOperators.Ordered)
        .Filter("sent_at", m => m.SentAt, FilterOperators.Ordered)
        .Filter("delivered_at", m => m.DeliveredAt, FilterOperators.Ordered)
        .Filter("failed_at", m => m.FailedAt, FilterOperators.Ordered)
        .Sort("created_at", m => m.CreatedAt)
        .Sort("updated_at", m => m.UpdatedAt)
        .Sort("sent_at", m => m.SentAt)
        .Sort("delivered_at", m => m.DeliveredAt)
        .Sort("status", m => m.Status)
        .ThenAlwaysBy(m => m.CreatedAt, descending: true)
        .ThenAlwaysBy(m => m.Id, descending: true);

    public static Task<IResult> HandleAsync(ListQuery query, TurumbaDbContext db, CancellationToken cancellationToken) =>
        Definition.ListAsync(db.Set<Message>().AsNoTracking(), query, MessageResponse.From, cancellationToken);
}
