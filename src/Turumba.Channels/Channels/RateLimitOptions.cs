namespace Turumba.Channels.Channels;

/// <summary>
/// Settings under <c>Turumba:RateLimits</c>: limits in messages per minute on top of each
/// channel's own <c>rate_limit</c>, each shared by every channel it covers, across all instances.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string Section = "Turumba:RateLimits";

    /// <summary>Each account's limit over all its channels; null for none.</summary>
    public int? TenantPerMinute { get; set; }

    /// <summary>Account id → its own limit, in place of <see cref="TenantPerMinute"/> (also when that is null).</summary>
    public Dictionary<string, int> Tenants { get; set; } = [];

    /// <summary>
    /// Provider (as adapters are registered: telegram, twilio) → the limit of each account at that
    /// provider (one bot, one Twilio account_sid), shared by the channels using that account.
    /// </summary>
    public Dictionary<string, int> ProviderAccounts { get; set; } = [];
}
