namespace Turumba.Contracts;

/// <summary>
/// A provider said an address must not be messaged again — Twilio's 21610 (the recipient replied
/// STOP), Telegram's "bot was blocked by the user" — on a send (dispatch) or in a status callback
/// (webhooks). The contacts module puts it on the account's suppression list (queue
/// <c>contacts.suppressions</c>). <see cref="Reason"/> is a suppression reason (<c>opt_out</c>,
/// <c>blocked</c>, …); <see cref="Source"/> says which signal it was.
/// </summary>
public sealed record RecipientSuppressed(
    Guid AccountId, Guid ChannelId, string ChannelType, string Address, string Reason, string Source, DateTimeOffset OccurredAt);

public static class SuppressionSources
{
    /// <summary>The provider refused a send for this reason.</summary>
    public const string ProviderError = "provider_error";

    /// <summary>A provider's status callback reported the refusal.</summary>
    public const string StatusCallback = "status_callback";

    /// <summary>The recipient texted an opt-out keyword (STOP, …).</summary>
    public const string SmsKeyword = "sms_keyword";

    /// <summary>The recipient used a message's one-click unsubscribe link (RFC 8058).</summary>
    public const string UnsubscribeLink = "unsubscribe_link";
}

public static class ContactQueues
{
    public const string Suppressions = "contacts.suppressions";
    public const string OptOutKeywords = "contacts.opt_out_keywords";
}
