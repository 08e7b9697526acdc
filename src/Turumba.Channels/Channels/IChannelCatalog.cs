namespace Turumba.Channels;

/// <summary>A channel as senders and webhook receivers need it, credentials decrypted.</summary>
public sealed record ChannelSnapshot(
    Guid Id,
    Guid AccountId,
    string ChannelType,
    string? Provider,
    ChannelStatus Status,
    bool IsEnabled,
    ChannelCredentials Credentials,
    string? SenderName,
    int? RateLimit,
    int RetryCount,
    int RetryInterval,
    ChannelQuietHours? QuietHours = null,
    decimal? CostPerSegment = null);

/// <summary>Reads channels across accounts (consumers, webhooks) and records what dispatch learns about them.</summary>
public interface IChannelCatalog
{
    Task<ChannelSnapshot?> FindAsync(Guid channelId, CancellationToken cancellationToken);

    /// <summary>Sets the status (error after an auth failure, rate_limited while paused, connected again) unless disabled.</summary>
    Task SetStatusAsync(Guid channelId, ChannelStatus status, string? errorMessage, CancellationToken cancellationToken);
}
