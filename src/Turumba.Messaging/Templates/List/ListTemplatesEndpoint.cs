using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api.Querying;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Templates.List;

internal static class ListTemplatesEndpoint
{
    internal static readonly ListQueryDefinition<Template> Definition = new ListQueryDefinition<Template>()
        .Filter("name", t => t.Name, FilterOperators.Text)
        .Filter("category", t => t.Category, FilterOperators.Text)
        .Filter("channel_type", t => t.ChannelType, FilterOperators.Exact)
        .Filter("language", t => t.Language, FilterOperators.Exact)
        .Filter("approval_status", t => t.ApprovalStatus, FilterOperators.Exact)
        .Filter("is_active", t => t.IsActive, FilterOperators.Eq)
        .Filter("id", t => t.Id, FilterOperators.Exact)
        .Filter("created_at", t => t.CreatedAt, FilterOperators.Ordered)
        .Filter("updated_at", t => t.UpdatedAt, FilterOperators.Ordered)
        .Sort("name", t => t.Name)
        .Sort("category", t => t.Category)
        .Sort("created_at", t => t.CreatedAt)
        .Sort("updated_at", t => t.UpdatedAt)
        .ThenAlwaysBy(t => t.Id, descending: true);

    public static Task<IResult> HandleAsync(ListQuery query, TurumbaDbContext db, CancellationToken cancellationToken) =>
        Definition.ListAsync(db.Set<Template>().AsNoTracking(), query, TemplateResponse.From, cancellationToken);
}
