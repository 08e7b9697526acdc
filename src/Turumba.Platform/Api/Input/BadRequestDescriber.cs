using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Turumba.Platform.Api.Input;

/// <summary>
/// Words binding failures for the caller in JSON terms. The framework's messages name .NET types
/// ("could not be converted to System.Guid", "Failed to bind parameter \"Nullable&lt;bool&gt; verify\"");
/// here the expected type is found from the request type and the path instead.
/// </summary>
public static partial class BadRequestDescriber
{
    public static string DescribeJson(JsonException exception, Type? bodyType, JsonSerializerOptions options)
    {
        var path = exception.Path ?? "$";
        var field = path.TrimStart('$').TrimStart('.');
        var message = exception.Message;
        if (UnmappedMember().Match(message) is { Success: true } unmapped)
        {
            var at = field.Contains('.', StringComparison.Ordinal) || field.Contains('[', StringComparison.Ordinal) ? $" (at {field})" : string.Empty;
            return $"'{unmapped.Groups[1].Value}' is not a field of this request{at}.";
        }

        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            var type = (bodyType is null ? null : TypeAt(bodyType, path, options))
                ?? (ConvertedTo().Match(message) is { Success: true } named ? Type.GetType(named.Groups[1].Value) : null);
            var expected = type is null ? "a value of another type" : JsonTypeNames.Describe(type);
            return field.Length == 0 ? $"The request body must be {expected}." : $"'{field}' must be {expected}.";
        }

        // The reader's own complaints ("'}' is invalid after a value") name no types; only the position is reworded.
        var reason = PositionSuffix().Replace(message, string.Empty).Trim();
        var position = exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty;
        return $"The request body is not valid JSON for this endpoint: {WithoutTypeNames(reason)}{position}";
    }

    public static string DescribeBinding(string message)
    {
        if (BindFailure().Match(message) is { Success: true } bind)
        {
            var type = bind.Groups["type"].Value;
            var expected = type.Contains("bool", StringComparison.OrdinalIgnoreCase) ? "true or false"
                : type.Contains("Guid", StringComparison.Ordinal) ? "a UUID"
                : type.Contains("int", StringComparison.OrdinalIgnoreCase) || type.Contains("long", StringComparison.OrdinalIgnoreCase) ? "an integer"
                : type.Contains("Date", StringComparison.Ordinal) ? "an ISO 8601 date-time such as 2026-01-31T12:00:00Z"
                : "a valid value";
            return $"Parameter '{bind.Groups["name"].Value}' must be {expected}; got '{bind.Groups["value"].Value}'.";
        }

        if (message.Contains("from body", StringComparison.Ordinal) || message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return "The request body is missing.";
        }

        return WithoutTypeNames(TypedParameter().Replace(message, "'${name}'"));
    }

    /// <summary>The declared type at a path such as <c>$.contacts[2].attributes.tier</c>, or null when the path leaves the known types.</summary>
    internal static Type? TypeAt(Type root, string path, JsonSerializerOptions options)
    {
        var type = root;
        foreach (Match segment in PathSegment().Matches(path))
        {
            var target = Nullable.GetUnderlyingType(type) ?? type;
            if (segment.Groups["index"].Success)
            {
                type = JsonTypeNames.ElementType(target);
            }
            else if (JsonTypeNames.ValueTypeOfMap(target) is { } value)
            {
                type = value;
            }
            else
            {
                var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
                type = PropertyType(target, name, options);
            }

            if (type is null)
            {
                return null;
            }
        }

        return type;
    }

    private static Type? PropertyType(Type type, string name, JsonSerializerOptions options)
    {
        if (type.IsPrimitive || type == typeof(string))
        {
            return null;
        }

        var info = options.GetTypeInfo(type);
        return info.Kind == JsonTypeInfoKind.Object ? info.Properties.FirstOrDefault(p => p.Name == name)?.PropertyType : null;
    }

    private static string WithoutTypeNames(string message) => ClrTypeName().Replace(message, "a value");

    [GeneratedRegex(@"The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex(@"could not be converted to ([^ ]+?)\.? Path")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"\s*(Path: .*)?\|?\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?$")]
    private static partial Regex PositionSuffix();

    [GeneratedRegex("Failed to bind parameter \"(?<type>.+) (?<name>[A-Za-z0-9_]+)\" from \"(?<value>.*)\"")]
    private static partial Regex BindFailure();

    [GeneratedRegex("\"[A-Za-z0-9_.<>?`, \\[\\]]+ (?<name>[A-Za-z0-9_]+)\"")]
    private static partial Regex TypedParameter();

    [GeneratedRegex(@"\b(?:System|Microsoft|Turumba)(?:\.[A-Za-z0-9_`]+)+(?:\[[^\]]*\])?|\b(?:Int16|Int32|Int64|UInt32|UInt64|Boolean|JsonElement|JsonObject|JsonNode|Guid|DateTimeOffset|Nullable`1)\b")]
    private static partial Regex ClrTypeName();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<quoted>(?:[^']|'')*)'\]")]
    private static partial Regex PathSegment();
}
