using Microsoft.EntityFrameworkCore;
using Turumba.Contacts.Contacts;

namespace Turumba.Contacts.Groups;

internal static class ContactGroupsModel
{
    public const string NameIndex = "ix_contact_groups_account_id_name";

    public static void Configure(ModelBuilder model)
    {
        model.Entity<ContactGroup>(group =>
        {
            group.ToTable("contact_groups", ContactsModel.Schema);
            group.Property(g => g.Name).HasMaxLength(200);
            group.Property(g => g.Description).HasMaxLength(2000);
            group.HasIndex(g => new { g.AccountId, g.Name }).IsUnique().HasDatabaseName(NameIndex);
        });

        model.Entity<ContactGroupMember>(member =>
        {
            member.ToTable("contact_group_members", ContactsModel.Schema);
            member.HasKey(m => new { m.GroupId, m.ContactId });
            // The directory walks members contact by contact (keyset on contact id) across groups.
            member.HasIndex(m => new { m.ContactId, m.GroupId });
            member.HasOne<ContactGroup>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
            member.HasOne<Contact>().WithMany().HasForeignKey(m => m.ContactId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
