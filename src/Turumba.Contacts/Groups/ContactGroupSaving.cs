using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Groups;

internal static class ContactGroupSaving
{
    public static async Task SaveAsync(TurumbaDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(out _))
        {
            throw new ConflictException("Another contact group of this account already has this name.", new { field = "name" });
        }
    }
}
