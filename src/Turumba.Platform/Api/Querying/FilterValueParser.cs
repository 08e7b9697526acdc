using System.Globalization;
using System.Text.Json;

namespace Turumba.Platform.Api.Querying;

/// <summary>Converts filter text to a field's type, or explains what the field expects.</summary>
internal static class FilterValueParser
{
    public static object Parse(Type type, string field, string text)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (TryParse(target, text, out var value))
        {
            return value;
        }

        throw new BadRequestException($"Filter value '{text}' is not valid for '{field}': expected {Describe(target)}.");
    }

    private static bool TryParse(Type type, string text, out object value)
    {
        var invariant = CultureInfo.InvariantCulture;
        value = text;
        if (type == typeof(string))
        {
            return true;
        }

        bool ok;
        if (type == typeof(Guid))
        {
            ok = Guid.TryParse(text, out var g);
            value = g;
        }
        else if (type == typeof(int))
        {
            ok = int.TryParse(text, NumberStyles.Integer, invariant, out var i);
            value = i;
        }
        else if (type == typeof(long))
        {
            ok = long.TryParse(text, NumberStyles.Integer, invariant, out var l);
            value = l;
        }
        else if (type == typeof(bool))
        {
            ok = bool.TryParse(text, out var b);
            value = b;
        }
        else if (type == typeof(DateTimeOffset))
        {
            ok = DateTimeOffset.TryParse(text, invariant, DateTimeStyles.AssumeUniversal, out var d);
            value = d.ToUniversalTime();
        }
        else if (type.IsEnum)
        {
            var match = Enum.GetNames(type).FirstOrDefault(n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n) == text);
            ok = match is not null;
            value = match is null ? text : Enum.Parse(type, match);
        }
        else
        {
            throw new NotSupportedException($"Filtering on {type.Name} is not supported.");
        }

        return ok;
    }

    private static string Describe(Type type) =>
        type == typeof(Guid) ? "a UUID"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(DateTimeOffset) ? "an ISO 8601 date-time such as 2026-01-31T12:00:00Z"
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName))
        : "a value of another type";
}
