using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Turumba.Platform.Api.OpenApi;

/// <summary>
/// The envelopes as they are written: <c>success</c> is always there (true or false), a success's
/// <c>data</c> is never null, an error's <c>details</c> is null or an object.
/// </summary>
internal sealed class EnvelopeSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not null || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        var type = context.JsonTypeInfo.Type;
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : null;
        if (generic == typeof(ApiResponse<>) || generic == typeof(ApiListResponse<>))
        {
            Success(schema, true);
        }
        else if (type == typeof(ApiErrorResponse))
        {
            Success(schema, false);
            schema.Properties["error"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A stable machine-readable code, e.g. validation_error, not_found." };
            schema.Properties["details"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object | JsonSchemaType.Null,
                Description = "More about the error where there is more: for validation_error, errors: [{field, message}].",
            };
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A success's <c>data</c> is never null, but the generator wraps a generic member in "null or …";
    /// the wrapping happens after schema transformers, so it is undone on the finished document.
    /// </summary>
    public static void UnwrapData(OpenApiDocument document)
    {
        foreach (var (name, value) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if ((name.StartsWith("ApiResponseOf", StringComparison.Ordinal) || name.StartsWith("ApiListResponseOf", StringComparison.Ordinal))
                && value is OpenApiSchema { Properties: { } properties }
                && properties.TryGetValue("data", out var data) && data is OpenApiSchema { OneOf: { Count: 2 } alternatives }
                && alternatives.FirstOrDefault(a => a is not OpenApiSchema { Type: JsonSchemaType.Null }) is { } nonNull)
            {
                properties["data"] = nonNull;
            }
        }
    }

    private static void Success(OpenApiSchema schema, bool value)
    {
        schema.Properties!["success"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Enum = [JsonValue.Create(value)] };
        schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
        schema.Required.Add("success");
    }
}
