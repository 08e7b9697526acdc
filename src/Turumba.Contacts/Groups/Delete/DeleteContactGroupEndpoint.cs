using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Groups.Delete;

internal static class DeleteContactGroupEndpoint
{
    /// <summary>Deletes the group and its memberships; the contacts stay.</summary>
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var deleted = await db.Set<ContactGroup>().Where(g => g.Id == id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw NotFoundException.For("contact group", id) : ApiResults.Deleted();
    }
}
