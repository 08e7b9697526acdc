using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Persistence;

namespace Turumba.Platform.Tenancy;

/// <summary>A new account and the one time its API key is shown.</summary>
public sealed record CreatedAccount(Guid AccountId, string Name, string ApiKey);

/// <summary>Creates accounts and API keys (the <c>accounts create</c> verb, development bootstrap, tests).</summary>
public sealed class AccountAdministration(TurumbaDbContext db)
{
    public async Task<CreatedAccount> CreateAccountAsync(string name, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An account needs a name.", nameof(name));
        }

        var account = new Account { Name = name.Trim() };
        var key = ApiKeySecret.Generate();
        db.Add(account);
        db.Add(NewKey(account.Id, "default", key));
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
