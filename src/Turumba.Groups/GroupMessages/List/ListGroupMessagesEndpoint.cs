using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api.Querying;
using Turumba.Platform.Persistence;

namespace Turumba.Groups.GroupMessages.List;

internal static class ListGroupMessagesEndpoint
{
    internal static readonly ListQueryDefinition<GroupMessage> Definition = new ListQueryDefinition<GroupMessage>()
        .Filter("id", g => g.Id, FilterOperators.Exact)
        .Filter("status", g => g.Status, FilterOperators.Exact)
        .Filter("channel_id", g => g.ChannelId, FilterOperators.Exact)
        .Filter("template_id", g => g.TemplateId, FilterOperators.Exact)
        .Filter("name", g => g.Name, FilterOperators.Text)
        .Filter("created_at", g => g.CreatedAt, FilterOperators.Ordered)
        .Filter("completed_at", g => g.CompletedAt, FilterOperators.Ordered)
        .Sort("created_at", g => g.CreatedAt)
        .Sort("name", g => g.Name)
        .Sort("status", g => g.Status)
        .Sort("total_recipients", g => g.TotalRecipients)
        .ThenAlwaysBy(g => g.Id, descending: true);

    public static Task<IResult> HandleAsync(ListQuery query, TurumbaDbContext db, CancellationToken cancellationToken) =>
        Definition.ListAsync(db.Set<GroupMessage>().AsNoTracking(), query, GroupMessageResponse.From, cancellationToken);
}
