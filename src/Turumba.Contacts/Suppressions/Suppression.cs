using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Suppressions;

/// <summary>An address the account must not message: on one channel type, or on every one (<c>all</c>).</summary>
internal sealed class Suppression : TenantEntity
{
    /// <summary>Normalised: E.164 for phone channels, lower-case email, a chat id as given.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>A channel type, or <c>all</c>.</summary>
    public string ChannelType { get; set; } = string.Empty;

    public SuppressionReason Reason { get; set; }

    /// <summary>What put it there: <c>api</c>, <c>sms_keyword</c>, <c>provider_error</c>, <c>status_callback</c>, …</summary>
    public string Source { get; set; } = string.Empty;
}

internal enum SuppressionReason
{
    OptOut,
    Bounce,
    Complaint,
    Blocked,
    Manual,
}
