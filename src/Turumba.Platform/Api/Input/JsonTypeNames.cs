using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Turumba.Platform.Api.Input;

/// <summary>What a .NET type is in JSON words, for error messages: "a UUID", never "System.Guid".</summary>
public static class JsonTypeNames
{
    public static string Describe(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            return "a string";
        }

        if (target == typeof(Guid))
        {
            return "a UUID (a string such as \"0191b5c4-6c1e-7f3a-9a2b-3c4d5e6f7a8b\")";
        }

        if (target == typeof(int) || target == typeof(long) || target == typeof(short) || target == typeof(byte))
        {
            return "an integer";
        }

        if (target == typeof(decimal) || target == typeof(double) || target == typeof(float))
        {
            return "a number";
        }

        if (target == typeof(bool))
        {
            return "true or false";
        }

        if (target == typeof(DateTimeOffset) || target == typeof(DateTime))
        {
            return "an ISO 8601 date-time string such as \"2026-01-31T12:00:00Z\"";
        }

        if (target.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(target).Select(n => $"\"{JsonNamingPolicy.SnakeCaseLower.ConvertName(n)}\""));
        }

        if (target == typeof(JsonElement) || target == typeof(JsonNode))
        {
            return "a JSON value";
        }

        if (ValueTypeOfMap(target) is { } valueType)
        {
            return valueType == typeof(string) ? "an object whose values are strings" : "an object";
        }

        if (ElementType(target) is { } element)
        {
            return $"an array (each item {Describe(element)})";
        }

        return "an object";
    }

    /// <summary>The value type of a dictionary type, or null.</summary>
    internal static Type? ValueTypeOfMap(Type type) =>
        type == typeof(JsonObject) ? typeof(JsonNode)
        : Interfaces(type).FirstOrDefault(i => i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
            ?.GetGenericArguments()[1];

    /// <summary>The element type of a list or array type (not a string or dictionary), or null.</summary>
    internal static Type? ElementType(Type type) =>
        type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type) || ValueTypeOfMap(type) is not null ? null
        : type.IsArray ? type.GetElementType()
        : Interfaces(type).FirstOrDefault(i => i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static IEnumerable<Type> Interfaces(Type type) =>
        (type.IsInterface ? type.GetInterfaces().Append(type) : type.GetInterfaces()).Where(i => i.IsGenericType);
}
