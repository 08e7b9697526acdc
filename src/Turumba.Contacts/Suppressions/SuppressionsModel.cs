using Microsoft.EntityFrameworkCore;
using Turumba.Contacts.Contacts;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Suppressions;

internal static class SuppressionsModel
{
    public const string Table = "suppressions";
    public const string AddressIndex = "ix_suppressions_account_id_address_channel_type";

    public static void Configure(ModelBuilder model) => model.Entity<Suppression>(suppression =>
    {
        suppression.ToTable(Table, ContactsModel.Schema);
        suppression.Property(s => s.Address).HasMaxLength(256);
        suppression.Property(s => s.ChannelType).HasMaxLength(20);
        suppression.Property(s => s.Reason).HasSnakeCaseConversion();
        suppression.Property(s => s.Source).HasMaxLength(64);
        // One row per address and channel type; (account, address) first, so dispatch's and the
        // fan-out's lookups ("is this address suppressed on sms or all?") are one index probe each.
        suppression.HasIndex(s => new { s.AccountId, s.Address, s.ChannelType }).IsUnique().HasDatabaseName(AddressIndex);
        suppression.HasIndex(s => new { s.AccountId, s.CreatedAt });
    });
}
