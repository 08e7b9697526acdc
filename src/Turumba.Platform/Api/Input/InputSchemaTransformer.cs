using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Turumba.Platform.Api.Input;

/// <summary>
/// The schema generator cannot see through custom converters and leaves their types as "anything";
/// the input guards read and write exactly what the built-in ones do, so their schemas are restored.
/// </summary>
internal sealed class InputSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(string))
        {
            // A string member declared string? may be null; the validator transformer narrows required ones.
            schema.Type = context.JsonPropertyInfo is { IsGetNullable: true } ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }
        else if (type == typeof(Dictionary<string, string>))
        {
            schema.Type = JsonSchemaType.Object;
            schema.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String };
        }
        else if (type == typeof(JsonObject))
        {
            schema.Type = JsonSchemaType.Object;
        }

        return Task.CompletedTask;
    }
}
