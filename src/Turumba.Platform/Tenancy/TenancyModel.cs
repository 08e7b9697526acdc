using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Persistence;

namespace Turumba.Platform.Tenancy;

internal static class TenancyModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Account>(account =>
        {
            account.ToTable("accounts", PersistenceServiceCollectionExtensions.Schema);
            account.Property(a => a.Name).HasMaxLength(200);
        });

        model.Entity<ApiKey>(key =>
        {
            key.ToTable("api_keys", PersistenceServiceCollectionExtensions.Schema);
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.Prefix).HasMaxLength(12);
            key.Property(k => k.Scope).HasMaxLength(20).HasDefaultValue(ApiKeyScopes.Tenant);
            key.HasIndex(k => k.KeyHash).IsUnique();
            key.HasIndex(k => k.AccountId);
            key.HasOne<Account>().WithMany().HasForeignKey(k => k.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
