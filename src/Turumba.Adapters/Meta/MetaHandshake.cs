using System.Security.Cryptography;
using System.Text;
using Turumba.Channels;

namespace Turumba.Adapters.Meta;

/// <summary>
/// The webhook subscription handshake (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests):
/// Meta calls <c>GET ?hub.mode=subscribe&amp;hub.verify_token=…&amp;hub.challenge=…</c> and expects the
/// challenge back as plain text when the token is the one configured. The channel's <c>verify_token</c>,
/// or the generated webhook secret when none was given.
/// </summary>
internal static class MetaHandshake
{
    public const string VerifyToken = "verify_token";

    public static string? TokenOf(ChannelCredentials credentials) =>
        credentials.Get(VerifyToken) ?? credentials.Get(ChannelCredentials.WebhookSecret);

    public static WebhookReply? Answer(IReadOnlyDictionary<string, string> query, ChannelCredentials credentials)
    {
        if (query.GetValueOrDefault("hub.mode") != "subscribe"
            || TokenOf(credentials) is not { } expected
            || query.GetValueOrDefault("hub.verify_token") is not { } given
            || query.GetValueOrDefault("hub.challenge") is not { Length: > 0 } challenge)
        {
            return null;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given))
            ? new WebhookReply("text/plain", challenge)
            : null;
    }

    /// <summary>What a handshake-capable channel registers: the URL, and the generated secret only when it stands in for a missing verify token.</summary>
    public static WebhookRegistration Registration(ChannelCredentials credentials, Uri webhookUrl) =>
        new(webhookUrl, credentials.Get(VerifyToken) is null ? credentials.Get(ChannelCredentials.WebhookSecret) : null);
}
