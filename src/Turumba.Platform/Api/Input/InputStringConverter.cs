using System.Text.Json;
using System.Text.Json.Serialization;

namespace Turumba.Platform.Api.Input;

/// <summary>Every string of a request body, property value or dictionary key: NUL is refused before it can reach PostgreSQL.</summary>
internal sealed class InputStringConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            // Without a message the serializer says which type it wanted; the handler words that for the caller.
            throw new JsonException();
        }

        var value = reader.GetString()!;
        return Nul.In(value) ? throw new JsonInputException(Nul.Refused) : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var key = reader.GetString()!;
        return Nul.In(key) ? throw new JsonInputException("has a key that holds a NUL character (\\u0000)") : key;
    }

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
}
