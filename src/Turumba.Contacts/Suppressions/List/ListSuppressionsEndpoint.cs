using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api.Querying;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Suppressions.List;

internal static class ListSuppressionsEndpoint
{
    internal static readonly ListQueryDefinition<Suppression> Definition = new ListQueryDefinition<Suppression>()
        .Filter("id", s => s.Id, FilterOperators.Exact)
        .Filter("address", s => s.Address, FilterOperators.Text)
        .Filter("channel_type", s => s.ChannelType, FilterOperators.Exact)
        .Filter("reason", s => s.Reason, FilterOperators.Exact)
        .Filter("source", s => s.Source, FilterOperators.Exact)
        .Filter("created_at", s => s.CreatedAt, FilterOperators.Ordered)
        .Sort("created_at", s => s.CreatedAt)
        .Sort("address", s => s.Address)
        .ThenAlwaysBy(s => s.Id, descending: true);

    public static Task<IResult> HandleAsync(ListQuery query, TurumbaDbContext db, CancellationToken cancellationToken) =>
        Definition.ListAsync(db.Set<Suppression>().AsNoTracking(), query, SuppressionResponse.From, cancellationToken);
}
