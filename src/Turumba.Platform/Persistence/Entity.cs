namespace Turumba.Platform.Persistence;

/// <summary>Base of every stored entity: a time-ordered UUIDv7 id and audit timestamps.</summary>
public abstract class Entity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An entity owned by one account. Reads are filtered to the current account.</summary>
public abstract class TenantEntity : Entity
{
    public Guid AccountId { get; set; }
}
