namespace Turumba.Platform.Tenancy;

/// <summary>The account the current request or message works for.</summary>
public interface ICurrentAccount
{
    /// <summary>The account id, or null outside any account (then tenant-filtered reads see nothing).</summary>
    Guid? AccountId { get; }

    /// <summary>The account id; throws when there is none (a bug: the endpoint is not authenticated).</summary>
    Guid RequiredAccountId => AccountId ?? throw new InvalidOperationException("No current account in this scope.");

    /// <summary>Works for <paramref name="accountId"/> in this scope (consumers, background jobs).</summary>
    void Use(Guid accountId);
}
