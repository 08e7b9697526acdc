using Turumba.Platform.Persistence;

namespace Turumba.Platform.Tenancy;

/// <summary>
/// An API key of an account. Only its SHA-256 hash is stored; the key itself is shown once.
/// Not a <see cref="TenantEntity"/>: authentication reads it before any account is known.
/// </summary>
internal sealed class ApiKey : Entity
{
    public Guid AccountId { get; set; }

    public required string Name { get; set; }

    /// <summary>The first characters of the key, to tell keys apart in listings.</summary>
    public required string Prefix { get; set; }

    public required byte[] KeyHash { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary><see cref="ApiKeyScopes.Tenant"/> (the account's own resources) or <see cref="ApiKeyScopes.Operator"/> (also <c>/v1/admin</c>).</summary>
    public string Scope { get; set; } = ApiKeyScopes.Tenant;

    /// <summary>When the key last authenticated a request, to within the key cache's lifetime (it is written on a cache miss).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}
