namespace Turumba.Contacts.Groups;

internal sealed record ContactGroupResponse(
    Guid Id, Guid AccountId, string Name, string? Description, int MemberCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ContactGroupResponse From(ContactGroup g) =>
        new(g.Id, g.AccountId, g.Name, g.Description, g.MemberCount, g.CreatedAt, g.UpdatedAt);
}
