using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Turumba.Platform.Api.Input;

/// <summary>
/// Free-form objects of a request (metadata): at most <see cref="InputLimits.MaxObjectBytes"/> on
/// the wire, no NUL in any key or string at any depth (jsonb cannot hold it), no null at the top.
/// </summary>
internal sealed class JsonObjectInputConverter : JsonConverter<JsonObject>
{
    public override JsonObject Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException();
        }

        var start = reader.TokenStartIndex;
        var node = JsonNode.Parse(ref reader)!.AsObject();
        var size = reader.BytesConsumed - start;
        if (size > InputLimits.MaxObjectBytes)
        {
            throw new JsonInputException(SizeLimit.Describe(size));
        }

        foreach (var (key, value) in node)
        {
            if (value is null)
            {
                throw new JsonInputException("must not be null; leave the key out instead", key);
            }
        }

        return FindNul(node, null) is { } where ? throw new JsonInputException(Nul.Refused, where) : node;
    }

    public override void Write(Utf8JsonWriter writer, JsonObject value, JsonSerializerOptions options) => value.WriteTo(writer, options);

    /// <summary>The path below the object of the first key or string holding NUL, or null.</summary>
    private static string? FindNul(JsonNode? node, string? path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var below = path is null ? key : $"{path}.{key}";
                    if (Nul.In(key))
                    {
                        return path ?? string.Empty;
                    }

                    if (FindNul(value, below) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (FindNul(array[i], $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValue value when value.TryGetValue<string>(out var text) && Nul.In(text):
                return path;
            default:
                return null;
        }
    }
}
