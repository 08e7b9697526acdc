using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Contacts;

internal static class ContactsModel
{
    public const string Schema = "contacts";
    public const string PhoneIndex = "ix_contacts_account_id_phone";
    public const string EmailIndex = "ix_contacts_account_id_email";

    public static void Configure(ModelBuilder model) => model.Entity<Contact>(contact =>
    {
        contact.ToTable("contacts", Schema);
        contact.Property(c => c.FirstName).HasMaxLength(100);
        contact.Property(c => c.LastName).HasMaxLength(100);
        contact.Property(c => c.Phone).HasMaxLength(16);
        contact.Property(c => c.Email).HasMaxLength(254);
        contact.Property(c => c.PreferredChannel).HasMaxLength(20);
        contact.Property(c => c.Addresses).HasJsonbDictionary();
        contact.Property(c => c.Attributes).HasJsonbDictionary();
        // Import upserts on phone and email, so each is unique within an account.
        contact.HasIndex(c => new { c.AccountId, c.Phone }).IsUnique().HasFilter("phone is not null").HasDatabaseName(PhoneIndex);
        contact.HasIndex(c => new { c.AccountId, c.Email }).IsUnique().HasFilter("email is not null").HasDatabaseName(EmailIndex);
        contact.HasIndex(c => new { c.AccountId, c.CreatedAt });
    });
}
