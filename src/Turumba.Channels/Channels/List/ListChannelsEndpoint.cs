using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Channels.Credentials;
using Turumba.Platform.Api;
using Turumba.Platform.Api.Querying;
using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels.List;

internal static class ListChannelsEndpoint
{
    internal static readonly ListQueryDefinition<Channel> Definition = new ListQueryDefinition<Channel>()
        .Filter("name", c => c.Name, FilterOperators.Text)
        .Filter("channel_type", c => c.ChannelType, FilterOperators.Exact)
        .Filter("status", c => c.Status, FilterOperators.Exact)
        .Filter("is_enabled", c => c.IsEnabled, FilterOperators.Eq)
        .Filter("priority", c => c.Priority, FilterOperators.Ordered)
        .Filter("id", c => c.Id, FilterOperators.Exact)
        .Filter("created_at", c => c.CreatedAt, FilterOperators.Ordered)
        .Filter("updated_at", c => c.UpdatedAt, FilterOperators.Ordered)
        .Sort("name", c => c.Name)
        .Sort("channel_type", c => c.ChannelType)
        .Sort("status", c => c.Status)
        .Sort("priority", c => c.Priority)
        .Sort("created_at", c => c.CreatedAt)
        .Sort("updated_at", c => c.UpdatedAt)
        .ThenAlwaysBy(c => c.Id, descending: true);

    public static Task<IResult> HandleAsync(ListQuery query, TurumbaDbContext db, CredentialProtector protector, CancellationToken cancellationToken) =>
        Definition.ListAsync(db.Set<Channel>().AsNoTracking(), query, c => ChannelResponse.From(c, protector), cancellationToken);
}
