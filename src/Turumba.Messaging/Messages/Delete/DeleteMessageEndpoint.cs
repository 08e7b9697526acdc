using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Delete;

internal static class DeleteMessageEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var deleted = await db.Set<Message>().ById(id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw NotFoundException.For("message", id) : ApiResults.Deleted();
    }
}
