using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Contacts.Contacts.Create;

internal static class CreateContactEndpoint
{
    public static async Task<IResult> HandleAsync(
        CreateContactRequest request, TurumbaDbContext db, ICurrentAccount account, CancellationToken cancellationToken)
    {
        var contact = new Contact
        {
            AccountId = account.RequiredAccountId,
            FirstName = request.FirstName?.Trim(),
            LastName = request.LastName?.Trim(),
            Phone = ContactAddressing.Phone(request.Phone),
            Email = request.Email?.Trim().ToLowerInvariant(),
            Addresses = ContactAddressing.Addresses(request.Addresses) ?? [],
            Attributes = request.Attributes ?? [],
            PreferredChannel = request.PreferredChannel,
        };
        db.Add(contact);
        await ContactSaving.SaveAsync(db, cancellationToken);
        return ApiResults.Created($"/v1/contacts/{contact.Id}", ContactResponse.From(contact));
    }
}
