using Turumba.Channels.Credentials;

namespace Turumba.Channels.Channels;

/// <summary>A channel as the API shows it; <see cref="GeneratedCredentials"/> only in the answer of the create (or update) that generated them, the one time they are shown.</summary>
internal sealed record ChannelResponse(
    Guid Id,
    Guid AccountId,
    string Name,
    string ChannelType,
    string? Provider,
    ChannelStatus Status,
    bool IsEnabled,
    IReadOnlyDictionary<string, string> Credentials,
    string? SenderName,
    string? DefaultCountryCode,
    int? RateLimit,
    int Priority,
    int RetryCount,
    int RetryInterval,
    string? WebhookUrl,
    decimal? CostPerSegment,
    QuietHoursResponse? QuietHours,
    DateTimeOffset? LastVerifiedAt,
    string? ErrorMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    RateLimitUsage? RateLimitUsage = null,
    IReadOnlyDictionary<string, string>? GeneratedCredentials = null)
{
    public static ChannelResponse From(Channel c, CredentialProtector protector) => new(
        c.Id, c.AccountId, c.Name, c.ChannelType, c.Provider, c.Status, c.IsEnabled,
        protector.Mask(c.ChannelType, c.Provider, protector.Unprotect(c.EncryptedCredentials)), c.SenderName, c.DefaultCountryCode,
        c.RateLimit, c.Priority, c.RetryCount, c.RetryInterval, c.WebhookUrl, c.CostPerSegment, QuietHoursResponse.From(c), c.LastVerifiedAt, c.ErrorMessage, c.CreatedAt, c.UpdatedAt);
}

/// <summary>The channel's rate-limit window now (single-channel reads only): what is used, what is left, when it frees up, and any provider pause.</summary>
/// <summary>The channel's own window (top-level fields, null limit = none), any provider pause, and every limit a send on it counts against.</summary>
internal sealed record RateLimitUsage(int? Limit, int Used, int? Remaining, double ResetInSeconds, double? PausedForSeconds, IReadOnlyList<RateLimitWindow> Windows);

/// <summary>One limit's window: <see cref="Scope"/> is <c>channel</c>, <c>provider_account</c> or <c>tenant</c>.</summary>
internal sealed record RateLimitWindow(string Scope, int Limit, int Used, int Remaining, double ResetInSeconds);
