using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Groups;

internal sealed class ContactGroup : TenantEntity
{
    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Kept in step with the member rows by every membership change.</summary>
    public int MemberCount { get; set; }
}

internal sealed class ContactGroupMember
{
    public Guid GroupId { get; set; }

    public Guid ContactId { get; set; }

    public DateTimeOffset AddedAt { get; set; }
}
