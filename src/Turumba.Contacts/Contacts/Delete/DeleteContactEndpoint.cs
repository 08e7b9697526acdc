using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Contacts.Delete;

internal static class DeleteContactEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var deleted = await db.Set<Contact>().Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw NotFoundException.For("contact", id) : ApiResults.Deleted();
    }
}
