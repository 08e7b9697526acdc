using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Groups.Get;

internal static class GetContactGroupEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var group = await db.Set<ContactGroup>().AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, cancellationToken)
            ?? throw NotFoundException.For("contact group", id);
        return ApiResults.Ok(ContactGroupResponse.From(group));
    }
}
