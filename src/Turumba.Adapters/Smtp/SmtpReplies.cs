using System.Globalization;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using Turumba.Channels;

namespace Turumba.Adapters.Smtp;

/// <summary>
/// What a relay's reply means for the message and the channel (RFC 5321 §4.2, enhanced codes RFC 3463):
/// 530/534/535 authentication (channel <c>error</c>); 421 with words of rate or volume a pause;
/// other 4xx retry later; 5xx the message failed for good, and a 5.1.x mailbox or domain that does not
/// exist (or a bare 550/551/553 saying so) a hard bounce that suppresses the address.
/// </summary>
internal static partial class SmtpReplies
{
    public const string BounceReason = "bounce";

    private static readonly string[] RateWords = ["too many", "rate", "throttl", "limit", "slow down", "too fast"];
    private static readonly string[] NoMailboxWords = ["mailbox unavailable", "user unknown", "unknown user", "no such user", "does not exist", "not found", "invalid recipient", "no mailbox"];

    // Hard bounces: bad mailbox (5.1.1), bad system/domain (5.1.2), bad address syntax (5.1.3),
    // mailbox moved (5.1.6), null MX (5.1.10).
    private static readonly HashSet<string> HardBounceCodes = new(StringComparer.Ordinal) { "5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10" };

    public static ChannelAdapterException Map(SmtpCommandException ex, string? recipient, TimeSpan ratePause)
    {
        var code = (int)ex.StatusCode;
        var text = ex.Message.Trim();
        var enhanced = EnhancedCode().Match(text) is { Success: true } m ? m.Value : null;
        var providerCode = enhanced is null ? code.ToString(CultureInfo.InvariantCulture) : $"{code} {enhanced}";
        var reply = $"{code} {text}";
        var lower = text.ToLowerInvariant();

        if (code is 530 or 534 or 535 || (enhanced is { } e && e.StartsWith("5.7.8", StringComparison.Ordinal)))
        {
            return new ProviderAuthException($"The relay refused our authentication: {reply}", providerCode);
        }

        if (code == 421 && RateWords.Any(lower.Contains))
        {
            return new ProviderRateLimitException($"The relay asks to slow down: {reply}", ratePause, providerCode);
        }

        if (code is >= 400 and < 500)
        {
            return new ProviderConnectionException($"The relay deferred the message (temporary): {reply}", providerCode);
        }

        var stage = ex.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => $"the recipient {recipient ?? ex.Mailbox?.Address}",
            SmtpErrorCode.SenderNotAccepted => $"the sender {ex.Mailbox?.Address}",
            SmtpErrorCode.MessageNotAccepted => "the message",
            _ => "the command",
        };
        if (code is >= 500 and < 600)
        {
            var hardBounce = ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted
                && (enhanced is not null ? HardBounceCodes.Contains(enhanced) : code is 550 or 551 or 553 && NoMailboxWords.Any(lower.Contains));
            return new InvalidPayloadException($"The relay refused {stage} (permanent): {reply}", providerCode)
            {
                SuppressRecipient = hardBounce ? BounceReason : null,
            };
        }

        return new ProviderConnectionException($"The relay answered {stage} with an unexpected reply: {reply}", providerCode);
    }

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex EnhancedCode();
}
