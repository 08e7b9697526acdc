using System.Text.Json;
using System.Text.Json.Serialization;

namespace Turumba.Platform.Api.Input;

/// <summary>
/// Every <c>{"key": "value"}</c> map of a request (custom_values, default_values, attributes,
/// addresses, credentials): values are strings (null is refused, naming the key), keys are unique
/// even ignoring case, and the map is at most <see cref="InputLimits.MaxObjectBytes"/> on the wire.
/// </summary>
internal sealed class StringMapConverter : JsonConverter<Dictionary<string, string>>
{
    public override Dictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException();
        }

        var start = reader.TokenStartIndex;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            if (Nul.In(key))
            {
                throw new JsonInputException("has a key that holds a NUL character (\\u0000)");
            }

            reader.Read();
            var value = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Null => throw new JsonInputException("must be a string, not null; leave the key out instead", key),
                _ => throw new JsonInputException("must be a string", key),
            };
            if (Nul.In(value))
            {
                throw new JsonInputException(Nul.Refused, key);
            }

            if (!map.TryAdd(key, value))
            {
                throw new JsonInputException($"has the key '{key}' more than once");
            }
        }

        var size = reader.BytesConsumed - start;
        if (size > InputLimits.MaxObjectBytes)
        {
            throw new JsonInputException(SizeLimit.Describe(size));
        }

        var collisions = CaseCollisions.Find(map.Keys);
        return collisions.Count > 0 ? throw new JsonInputException(CaseCollisions.Describe(collisions)) : map;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, text) in value)
        {
            writer.WriteString(key, text);
        }

        writer.WriteEndObject();
    }
}

internal static class SizeLimit
{
    public static string Describe(long size) =>
        $"must be at most {InputLimits.MaxObjectBytes / 1024} KB as JSON; this one is {(size + 1023) / 1024} KB";
}
