using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Contacts;

internal static class ContactSaving
{
    /// <summary>Saves, turning a duplicate phone or email into a 409 that says which.</summary>
    public static async Task SaveAsync(TurumbaDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(out var constraint))
        {
            var field = constraint == ContactsModel.EmailIndex ? "email" : "phone";
            throw new ConflictException($"Another contact of this account already has this {field}.", new { field });
        }
    }
}
