using Microsoft.AspNetCore.Http;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Get;

internal static class GetMessageEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken) =>
        ApiResults.Ok(MessageResponse.From(await MessageLookup.RequireAsync(db, id, tracking: false, cancellationToken)));
}
