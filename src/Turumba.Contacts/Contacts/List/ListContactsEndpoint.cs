using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api.Querying;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Contacts.List;

internal static class ListContactsEndpoint
{
    public static readonly ListQueryDefinition<Contact> Definition = new ListQueryDefinition<Contact>()
        .Filter("first_name", c => c.FirstName, FilterOperators.Text)
        .Filter("last_name", c => c.LastName, FilterOperators.Text)
        .Filter("email", c => c.Email, FilterOperators.Text)
        .Filter("phone", c => c.Phone, FilterOperators.Text)
        .Filter("preferred_channel", c => c.PreferredChannel, FilterOperators.Exact)
        .Filter("id", c => c.Id, FilterOperators.Exact)
        .Filter("created_at", c => c.CreatedAt, FilterOperators.Ordered)
        .Filter("updated_at", c => c.UpdatedAt, FilterOperators.Ordered)
        .Sort("first_name", c => c.FirstName)
        .Sort("last_name", c => c.LastName)
        .Sort("email", c => c.Email)
        .Sort("created_at", c => c.CreatedAt)
        .Sort("updated_at", c => c.UpdatedAt)
        .ThenAlwaysBy(c => c.Id, descending: true);

    public static Task<IResult> HandleAsync(ListQuery query, TurumbaDbContext db, CancellationToken cancellationToken) =>
        Definition.ListAsync(db.Set<Contact>().AsNoTracking(), query, ContactResponse.From, cancellationToken);
}
