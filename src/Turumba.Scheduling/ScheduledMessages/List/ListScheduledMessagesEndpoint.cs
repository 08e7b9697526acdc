using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api.Querying;
using Turumba.Platform.Persistence;

namespace Turumba.Scheduling.ScheduledMessages.List;

internal static class ListScheduledMessagesEndpoint
{
    internal static readonly ListQueryDefinition<ScheduledMessage> Definition = new ListQueryDefinition<ScheduledMessage>()
        .Filter("id", s => s.Id, FilterOperators.Exact)
        .Filter("status", s => s.Status, FilterOperators.Exact)
        .Filter("send_type", s => s.SendType, FilterOperators.Exact)
        .Filter("channel_id", s => s.ChannelId, FilterOperators.Exact)
        .Filter("template_id", s => s.TemplateId, FilterOperators.Exact)
        .Filter("contact_id", s => s.ContactId, FilterOperators.Exact)
        .Filter("is_recurring", s => s.IsRecurring, FilterOperators.Eq)
        .Filter("timezone", s => s.Timezone, FilterOperators.Exact)
        .Filter("name", s => s.Name, FilterOperators.Text)
        .Filter("scheduled_at", s => s.ScheduledAt, FilterOperators.Ordered)
        .Filter("next_trigger_at", s => s.NextTriggerAt, FilterOperators.Ordered)
        .Filter("last_triggered_at", s => s.LastTriggeredAt, FilterOperators.Ordered)
        .Filter("created_at", s => s.CreatedAt, FilterOperators.Ordered)
        .Sort("created_at", s => s.CreatedAt)
        .Sort("scheduled_at", s => s.ScheduledAt)
        .Sort("next_trigger_at", s => s.NextTriggerAt)
        .Sort("last_triggered_at", s => s.LastTriggeredAt)
        .Sort("name", s => s.Name)
        .Sort("status", s => s.Status)
        .Sort("trigger_count", s => s.TriggerCount)
        .ThenAlwaysBy(s => s.Id, descending: true);

    public static Task<IResult> HandleAsync(ListQuery query, TurumbaDbContext db, CancellationToken cancellationToken) =>
        Definition.ListAsync(db.Set<ScheduledMessage>().AsNoTracking(), query, ScheduledMessageResponse.From, cancellationToken);
}
