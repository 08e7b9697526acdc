using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Modules;
using Turumba.Platform.Tenancy;

namespace Turumba.Platform.Persistence;

/// <summary>
/// The one DbContext of the host, composed from every module's model. One context lets one
/// transaction hold an entity change and its outgoing messages (the outbox).
/// </summary>
public sealed class TurumbaDbContext(
    DbContextOptions<TurumbaDbContext> options,
    ModuleCatalog modules,
    ICurrentAccount currentAccount,
    TimeProvider clock) : DbContext(options)
{
    /// <summary>The account reads are filtered to; referenced by every tenant query filter.</summary>
    internal Guid? CurrentAccountId => currentAccount.AccountId;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        foreach (var module in modules.Modules)
        {
            module.ConfigureModel(modelBuilder);
        }

        foreach (var entityType in modelBuilder.Model.GetEntityTypes())
        {
            if (typeof(TenantEntity).IsAssignableFrom(entityType.ClrType) && entityType.BaseType is null)
            {
                modelBuilder.Entity(entityType.ClrType).HasQueryFilter(TenantFilter(entityType.ClrType));
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampTimes();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampTimes();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void StampTimes()
    {
        var now = clock.GetUtcNowForDatabase();
        foreach (var entry in ChangeTracker.Entries<Entity>())
        {
            if (entry.State == EntityState.Added)
            {
                if (entry.Entity.CreatedAt == default)
                {
                    entry.Entity.CreatedAt = now;
                }

                entry.Entity.UpdatedAt = entry.Entity.CreatedAt;
            }
            else if (entry.State == EntityState.Modified)
            {
                entry.Entity.UpdatedAt = now;
            }
        }
    }

    // e => e.AccountId == this.CurrentAccountId; EF re-evaluates the member on each query.
    private LambdaExpression TenantFilter(Type entityType)
    {
        var entity = Expression.Parameter(entityType, "e");
        var accountId = Expression.Convert(Expression.Property(entity, nameof(TenantEntity.AccountId)), typeof(Guid?));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentAccountId));
        return Expression.Lambda(Expression.Equal(accountId, current), entity);
    }
}
