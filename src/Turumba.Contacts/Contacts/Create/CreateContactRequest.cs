namespace Turumba.Contacts.Contacts.Create;

internal sealed record CreateContactRequest(
    string? FirstName,
    string? LastName,
    string? Phone,
    string? Email,
    Dictionary<string, string>? Addresses,
    Dictionary<string, string>? Attributes,
    string? PreferredChannel);
