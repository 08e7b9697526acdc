namespace Turumba.Contacts.Contacts;

internal sealed record ContactResponse(
    Guid Id,
    Guid AccountId,
    string? FirstName,
    string? LastName,
    string? Phone,
    string? Email,
    IReadOnlyDictionary<string, string> Addresses,
    IReadOnlyDictionary<string, string> Attributes,
    string? PreferredChannel,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ContactResponse From(Contact c) => new(
        c.Id, c.AccountId, c.FirstName, c.LastName, c.Phone, c.Email, c.Addresses, c.Attributes, c.PreferredChannel, c.CreatedAt, c.UpdatedAt);
}
