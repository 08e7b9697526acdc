using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Suppressions.Delete;

/// <summary><c>DELETE /v1/suppressions/{id}</c>: lifts it; the address may be messaged again from the next send on.</summary>
internal static class DeleteSuppressionEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var deleted = await db.Set<Suppression>().Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw NotFoundException.For("suppression", id) : ApiResults.Deleted();
    }
}
