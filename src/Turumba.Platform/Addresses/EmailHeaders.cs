using System.Text.Json;
using System.Text.RegularExpressions;

namespace Turumba.Platform.Addresses;

/// <summary>
/// The custom headers an email message may carry in <c>metadata.headers</c> (a JSON object of
/// name → value) and what makes a subject or header value unsafe. Checked by the API (a 422 naming
/// the field) and again by the adapter, so a header can never end a line and start another
/// (header injection).
/// </summary>
public static partial class EmailHeaders
{
    /// <summary>The metadata key holding the custom headers.</summary>
    public const string MetadataKey = "headers";

    /// <summary>The header carrying our message id on every email; not settable from metadata.</summary>
    public const string MessageIdHeader = "X-Turumba-Message-Id";

    private static readonly HashSet<string> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        "Precedence", "Auto-Submitted", "In-Reply-To", "References", "Keywords", "Comments", "List-Id", "Importance", "Priority",
    };

    /// <summary>
    /// Whether <paramref name="name"/> may be set from metadata: the listed ones and any <c>X-</c>
    /// extension header, except our own <c>X-Turumba-</c> ones.
    /// </summary>
    public static bool IsAllowed(string name) =>
        FieldName().IsMatch(name)
        && (Allowed.Contains(name) || (name.StartsWith("X-", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("X-Turumba-", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Whether the value would break out of its header line (CR, LF or NUL in it).</summary>
    public static bool IsUnsafeValue(string value) => value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0;

    /// <summary>
    /// The problems with a message's email metadata (<c>subject</c>, <c>headers</c>), each as
    /// (field, message); empty when it is fine. <paramref name="headersJson"/> is the raw JSON of <c>metadata.headers</c>.
    /// </summary>
    public static IEnumerable<(string Field, string Message)> Problems(string? subject, string? headersJson)
    {
        if (subject is not null && IsUnsafeValue(subject))
        {
            yield return ("metadata.subject", "metadata.subject must not contain line breaks (CR or LF).");
        }

        if (headersJson is null)
        {
            yield break;
        }

        Dictionary<string, JsonElement>? headers;
        try
        {
            headers = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(headersJson);
        }
        catch (JsonException)
        {
            headers = null;
        }

        if (headers is null)
        {
            yield return ("metadata.headers", "metadata.headers must be an object of header name → text value.");
            yield break;
        }

        foreach (var (name, value) in headers)
        {
            if (!IsAllowed(name))
            {
                yield return ($"metadata.headers.{name}",
                    $"Header '{name}' cannot be set: only X- headers (not X-Turumba-) and {string.Join(", ", Allowed.Order(StringComparer.Ordinal))} may.");
            }
            else if (value.ValueKind != JsonValueKind.String)
            {
                yield return ($"metadata.headers.{name}", $"metadata.headers.{name} must be a string.");
            }
            else if (IsUnsafeValue(value.GetString()!))
            {
                yield return ($"metadata.headers.{name}", $"metadata.headers.{name} must not contain line breaks (CR or LF).");
            }
        }
    }

    /// <summary>The custom headers of <paramref name="headersJson"/>, assumed checked by <see cref="Problems"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string? headersJson) =>
        headersJson is null
            ? []
            : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(headersJson)!
                .Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ValueKind == JsonValueKind.String ? h.Value.GetString()! : h.Value.GetRawText()))
                .ToList();

    // RFC 5322 field-name: printable US-ASCII except colon.
    [GeneratedRegex("^[!-9;-~]{1,76}$")]
    private static partial Regex FieldName();
}
