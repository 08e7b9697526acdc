using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api.Querying;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Groups.List;

internal static class ListContactGroupsEndpoint
{
    internal static readonly ListQueryDefinition<ContactGroup> Definition = new ListQueryDefinition<ContactGroup>()
        .Filter("name", g => g.Name, FilterOperators.Text)
        .Filter("id", g => g.Id, FilterOperators.Exact)
        .Filter("member_count", g => g.MemberCount, FilterOperators.Ordered)
        .Filter("created_at", g => g.CreatedAt, FilterOperators.Ordered)
        .Sort("name", g => g.Name)
        .Sort("member_count", g => g.MemberCount)
        .Sort("created_at", g => g.CreatedAt)
        .Sort("updated_at", g => g.UpdatedAt)
        .ThenAlwaysBy(g => g.Id, descending: true);

    public static Task<IResult> HandleAsync(ListQuery query, TurumbaDbContext db, CancellationToken cancellationToken) =>
        Definition.ListAsync(db.Set<ContactGroup>().AsNoTracking(), query, ContactGroupResponse.From, cancellationToken);
}
