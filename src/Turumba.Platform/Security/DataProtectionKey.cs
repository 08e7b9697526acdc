using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Persistence;

namespace Turumba.Platform.Security;

internal sealed class DataProtectionKey
{
    public int Id { get; set; }

    public required string FriendlyName { get; set; }

    public required string Xml { get; set; }

    public static void Configure(ModelBuilder model) => model.Entity<DataProtectionKey>(key =>
    {
        key.ToTable("data_protection_keys", PersistenceServiceCollectionExtensions.Schema);
        key.HasIndex(k => k.FriendlyName).IsUnique();
    });
}
