using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Persistence;

namespace Turumba.Platform.Api.Idempotency;

internal static class IdempotencyModel
{
    public static void Configure(ModelBuilder model) => model.Entity<IdempotencyRecord>(record =>
    {
        record.ToTable("idempotency_keys", PersistenceServiceCollectionExtensions.Schema);
        record.HasKey(r => new { r.AccountId, r.Key });
        record.Property(r => r.Key).HasMaxLength(IdempotencyFilter.MaxKeyLength);
        record.Property(r => r.Body).HasColumnType("jsonb");
        record.Property(r => r.Location).HasMaxLength(500);
        record.HasIndex(r => r.CreatedAt);
    });
}
