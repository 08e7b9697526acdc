using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Turumba.Channels;
using Turumba.Platform;

namespace Turumba.Adapters.Smtp;

/// <summary>
/// The token of a one-click unsubscribe link: <c>base64url(v1|message id|address)</c>, a dot, and
/// the HMAC-SHA256 of that text under the channel's webhook secret (a key of ours, never sent anywhere
/// else). The channel (and so the account) is in the link's path and the key is the channel's own, so
/// a token names the account, the address and the message, and one made for another channel fails.
/// </summary>
internal static class UnsubscribeToken
{
    private const string Version = "v1";

    public static string Create(Guid messageId, string address, string key)
    {
        var payload = Encoding.UTF8.GetBytes($"{Version}|{messageId:N}|{address}");
        return $"{WebEncoders.Base64UrlEncode(payload)}.{WebEncoders.Base64UrlEncode(Sign(payload, key))}";
    }

    public static UnsubscribeRequest? Read(string token, string? key)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (key is null || dot <= 0)
        {
            return null;
        }

        try
        {
            var payload = WebEncoders.Base64UrlDecode(token[..dot]);
            var signature = WebEncoders.Base64UrlDecode(token[(dot + 1)..]);
            if (!CryptographicOperations.FixedTimeEquals(signature, Sign(payload, key)))
            {
                return null;
            }

            var parts = Encoding.UTF8.GetString(payload).Split('|', 3);
            return parts is [Version, var id, var address] && Guid.TryParseExact(id, "N", out var messageId) && address.Contains('@', StringComparison.Ordinal)
                ? new UnsubscribeRequest(address, messageId)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The link, for the List-Unsubscribe header.</summary>
    public static string Url(string baseUrl, Guid channelId, string token) =>
        $"{baseUrl.TrimEnd('/')}/webhooks/{ChannelTypes.Email}/{channelId}/unsubscribe?token={Uri.EscapeDataString(token)}";

    private static byte[] Sign(byte[] payload, string key) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), payload);
}
