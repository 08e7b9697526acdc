using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Platform.Tenancy;

/// <summary>A new account and the one time its API key is shown.</summary>
public sealed record CreatedAccount(Guid AccountId, string Name, string ApiKey);

/// <summary>An API key as listed: never the key itself, only the prefix that tells keys apart.</summary>
public sealed record ApiKeyInfo(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A new key and the one time it is shown.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

/// <summary>Creates accounts and manages their API keys (the <c>accounts</c> verbs, <c>/v1/api-keys</c>, development bootstrap, tests).</summary>
public sealed class AccountAdministration(TurumbaDbContext db)
{
    public async Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(Guid accountId, CancellationToken cancellationToken = default)
    {
        await RequireAccountAsync(accountId, cancellationToken);
        return await db.Set<ApiKey>().AsNoTracking().Where(k => k.AccountId == accountId).OrderBy(k => k.CreatedAt)
            .Select(k => new ApiKeyInfo(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<CreatedApiKey> CreateKeyAsync(Guid accountId, string name, CancellationToken cancellationToken = default)
    {
        await RequireAccountAsync(accountId, cancellationToken);
        var secret = ApiKeySecret.Generate();
        var key = NewKey(accountId, name.Trim(), secret);
        db.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(new ApiKeyInfo(key.Id, key.Name, key.Prefix, key.CreatedAt, null, null), secret);
    }

    /// <summary>
    /// Revokes the key; requests with it are refused at once on this instance and within the key
    /// cache's lifetime (<c>Turumba:Auth:KeyCacheDuration</c>) on others. The account's last active
    /// key cannot be revoked (create its replacement first), so an account is never locked out.
    /// </summary>
    public async Task<ApiKeyInfo> RevokeKeyAsync(Guid accountId, Guid keyId, Action<byte[]>? forget = null, CancellationToken cancellationToken = default)
    {
        var key = await db.Set<ApiKey>().FirstOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId, cancellationToken)
            ?? throw NotFoundException.For("API key", keyId);
        if (key.RevokedAt is null)
        {
            if (!await db.Set<ApiKey>().AnyAsync(k => k.AccountId == accountId && k.Id != keyId && k.RevokedAt == null, cancellationToken))
            {
                throw new ConflictException("This is the account's last active key; create another before revoking it.");
            }

            key.RevokedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(cancellationToken);
        }

        forget?.Invoke(key.KeyHash);
        return new ApiKeyInfo(key.Id, key.Name, key.Prefix, key.CreatedAt, key.LastUsedAt, key.RevokedAt);
    }

    private async Task RequireAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        if (!await db.Set<Account>().AnyAsync(a => a.Id == accountId, cancellationToken))
        {
            throw NotFoundException.For("account", accountId);
        }
    }

    /// <summary>A new account and its first key; <paramref name="operatorScope"/> makes that key an operator's (<c>/v1/admin</c>).</summary>
    public async Task<CreatedAccount> CreateAccountAsync(string name, bool operatorScope = false, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An account needs a name.", nameof(name));
        }

        var account = new Account { Name = name.Trim() };
        var key = ApiKeySecret.Generate();
        db.Add(account);
        var apiKey = NewKey(account.Id, "default", key);
        apiKey.Scope = operatorScope ? ApiKeyScopes.Operator : ApiKeyScopes.Tenant;
        db.Add(apiKey);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedAccount(account.Id, account.Name, key);
    }

    /// <summary>Creates the account and key unless a key with this value exists already.</summary>
    public async Task<bool> EnsureAccountWithKeyAsync(string name, string key, CancellationToken cancellationToken = default)
    {
        var hash = ApiKeySecret.Hash(key);
        if (await db.Set<ApiKey>().AnyAsync(k => k.KeyHash == hash, cancellationToken))
        {
            return false;
        }

        var account = new Account { Name = name };
        db.Add(account);
        db.Add(NewKey(account.Id, "bootstrap", key));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static ApiKey NewKey(Guid accountId, string name, string key) => new()
    {
        AccountId = accountId,
        Name = name,
        Prefix = ApiKeySecret.DisplayPrefix(key),
        KeyHash = ApiKeySecret.Hash(key),
    };
}
