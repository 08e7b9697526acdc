using System.Text.Json;

namespace Turumba.Adapters.Meta;

/// <summary>
/// A Graph API error (https://developers.facebook.com/docs/graph-api/guides/error-handling):
/// <c>{"error": {"message", "type", "code", "error_subcode", "error_data": {"details"}, "fbtrace_id"}}</c>.
/// Meta answers most failures with 400, so the <see cref="Code"/> says what happened, not the status.
/// </summary>
internal sealed record MetaGraphError(int HttpStatus, int? Code, int? Subcode, string Message, string? Details)
{
    /// <summary>The error of a failed answer's body; a body that is not one still gives its status.</summary>
    public static MetaGraphError Read(int httpStatus, string? body)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var details = error.TryGetProperty("error_data", out var data) && data.ValueKind == JsonValueKind.Object
                    ? String(data, "details")
                    : null;
                return new MetaGraphError(httpStatus, Int(error, "code"), Int(error, "error_subcode"),
                    String(error, "message") ?? $"HTTP {httpStatus}", details);
            }
        }
        catch (JsonException)
        {
        }

        return new MetaGraphError(httpStatus, null, null, $"HTTP {httpStatus}", null);
    }

    /// <summary>Meta's message with its details, which say which parameter was wrong.</summary>
    public string Text => Details is { Length: > 0 } d && d != Message ? $"{Message}: {d}" : Message;

    public string ProviderCode => (Code ?? HttpStatus).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
