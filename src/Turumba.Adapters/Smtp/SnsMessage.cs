using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Turumba.Adapters.Smtp;

/// <summary>
/// An Amazon SNS HTTP(S) delivery (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html):
/// a JSON document with <c>Type</c> (<c>SubscriptionConfirmation</c>, <c>Notification</c>,
/// <c>UnsubscribeConfirmation</c>), signed with the certificate at <c>SigningCertURL</c>:
/// SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA (PKCS#1 v1.5), over the string to sign.
/// </summary>
internal sealed record SnsMessage(
    string Type,
    string MessageId,
    string TopicArn,
    string Message,
    string Timestamp,
    string? Subject,
    string? Token,
    string? SubscribeUrl,
    string SignatureVersion,
    string Signature,
    string SigningCertUrl)
{
    public const string Notification = "Notification";
    public const string SubscriptionConfirmation = "SubscriptionConfirmation";
    public const string UnsubscribeConfirmation = "UnsubscribeConfirmation";

    /// <summary>The delivery, or null when the body is not an SNS message with every field its type signs.</summary>
    public static SnsMessage? TryParse(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var type = Text("Type");
            if (type is not (Notification or SubscriptionConfirmation or UnsubscribeConfirmation)
                || Text("MessageId") is not { Length: > 0 } id || Text("TopicArn") is not { Length: > 0 } topic
                || Text("Message") is not { } message || Text("Timestamp") is not { Length: > 0 } timestamp
                || Text("SignatureVersion") is not { Length: > 0 } version || Text("Signature") is not { Length: > 0 } signature
                || Text("SigningCertURL") is not { Length: > 0 } certUrl)
            {
                return null;
            }

            var parsed = new SnsMessage(type, id, topic, message, timestamp, Text("Subject"), Text("Token"), Text("SubscribeURL"), version, signature, certUrl);
            return type != Notification && (parsed.Token is null || parsed.SubscribeUrl is null) ? null : parsed;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Name and value on lines of their own, each followed by a newline, in byte order of the names:
    /// a notification signs Message, MessageId, Subject (when present), Timestamp, TopicArn, Type; the
    /// confirmations sign Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
    /// </summary>
    public string StringToSign()
    {
        var fields = Type == Notification
            ? new List<(string, string?)> { ("Message", Message), ("MessageId", MessageId), ("Subject", Subject), ("Timestamp", Timestamp), ("TopicArn", TopicArn), ("Type", Type) }
            : [("Message", Message), ("MessageId", MessageId), ("SubscribeURL", SubscribeUrl), ("Timestamp", Timestamp), ("Token", Token), ("TopicArn", TopicArn), ("Type", Type)];
        var text = new StringBuilder();
        foreach (var (name, value) in fields.Where(f => f.Item2 is not null))
        {
            text.Append(name).Append('\n').Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Whether <see cref="Signature"/> holds under the certificate's RSA key (versions 1 and 2; anything else is refused).</summary>
    public bool IsSignedBy(X509Certificate2 certificate)
    {
        var hash = SignatureVersion switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => default,
        };
        if (hash == default)
        {
            return false;
        }

        try
        {
            using var key = certificate.GetRSAPublicKey();
            return key is not null
                && key.VerifyData(Encoding.UTF8.GetBytes(StringToSign()), Convert.FromBase64String(Signature), hash, RSASignaturePadding.Pkcs1);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The region of a topic ARN (<c>arn:aws:sns:{region}:{account}:{name}</c>), or null when it is not one.</summary>
    public static string? RegionOf(string topicArn) =>
        topicArn.Split(':') is ["arn", { Length: > 0 }, "sns", { Length: > 0 } region, { Length: > 0 }, { Length: > 0 }] ? region : null;
}
