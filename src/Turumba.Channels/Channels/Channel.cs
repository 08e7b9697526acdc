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

    /// <summary>What one SMS segment costs on this channel, in the account's currency; shown in send estimates.</summary>
    public decimal? CostPerSegment { get; set; }

    /// <summary>Quiet hours, local time in the recipient's zone: nothing is sent from start until end (both or neither).</summary>
    public TimeOnly? QuietHoursStart { get; set; }

    public TimeOnly? QuietHoursEnd { get; set; }

    /// <summary>The zone quiet hours are read in for recipients without a <c>timezone</c> attribute; null is UTC.</summary>
    public string? QuietHoursTimezone { get; set; }

    public DateTimeOffset? LastVerifiedAt { get; set; }

    public string? ErrorMessage { get; set; }
}
