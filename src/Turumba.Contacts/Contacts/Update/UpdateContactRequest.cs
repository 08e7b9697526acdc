namespace Turumba.Contacts.Contacts.Update;

/// <summary>A partial update: a field left out (or null) keeps its value; an empty string clears a text field.</summary>
internal sealed record UpdateContactRequest(
    string? FirstName,
    string? LastName,
    string? Phone,
    string? Email,
    Dictionary<string, string>? Addresses,
    Dictionary<string, string>? Attributes,
    string? PreferredChannel);
