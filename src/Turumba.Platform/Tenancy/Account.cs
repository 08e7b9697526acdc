using Turumba.Platform.Persistence;

namespace Turumba.Platform.Tenancy;

/// <summary>A tenant: everything else belongs to exactly one account.</summary>
internal sealed class Account : Entity
{
    public required string Name { get; set; }

    public bool IsActive { get; set; } = true;
}
