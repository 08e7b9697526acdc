using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Contacts.Update;

internal static class UpdateContactEndpoint
{
    public static async Task<IResult> HandleAsync(
        Guid id, UpdateContactRequest request, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var contact = await db.Set<Contact>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw NotFoundException.For("contact", id);

        contact.FirstName = Patch(contact.FirstName, request.FirstName?.Trim());
        contact.LastName = Patch(contact.LastName, request.LastName?.Trim());
        contact.Phone = Patch(contact.Phone, ContactAddressing.Phone(request.Phone));
        contact.Email = Patch(contact.Email, request.Email?.Trim().ToLowerInvariant());
        contact.PreferredChannel = Patch(contact.PreferredChannel, request.PreferredChannel);
        contact.Addresses = ContactAddressing.Addresses(request.Addresses) ?? contact.Addresses;
        contact.Attributes = request.Attributes ?? contact.Attributes;
        if (contact.Phone is null && contact.Email is null && contact.Addresses.Count == 0)
        {
            throw RequestValidationException.For("phone", "A contact needs at least one way to reach it: phone, email or an entry in addresses.");
        }

        await ContactSaving.SaveAsync(db, cancellationToken);
        return ApiResults.Ok(ContactResponse.From(contact));
    }

    private static string? Patch(string? current, string? requested) => requested switch
    {
        null => current,
        "" => null,
        _ => requested,
    };
}
