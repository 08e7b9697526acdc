using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels;

internal sealed class Channel : TenantEntity
{
    public required string Name { get; set; }

    public required string ChannelType { get; set; }

    /// <summary>From the credentials' <c>provider</c> (e.g. twilio), or the type's default adapter.</summary>
    public string? Provider { get; set; }

    public ChannelStatus Status { get; set; } = ChannelStatus.Disconnected;

    public bool IsEnabled { get; set; } = true;

    /// <summary>The credentials as JSON, encrypted with Data Protection; never stored or logged in clear.</summary>
    public required string EncryptedCredentials { get; set; }

    public string? SenderName { get; set; }

    public string? DefaultCountryCode { get; set; }

    /// <summary>Messages per minute; null is unlimited.</summary>
    public int? RateLimit { get; set; }

    public int Priority { get; set; }

    public int RetryCount { get; set; } = 3;

    /// <summary>Seconds.</summary>
    public int RetryInterval { get; set; } = 60;

    public string? WebhookUrl { get; set; }

    public DateTimeOffset? LastVerifiedAt { get; set; }

    public string? ErrorMessage { get; set; }
}
