using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Turumba.Platform.Api.Idempotency;
using Turumba.Platform.Api.Querying;

namespace Turumba.Platform.Api.OpenApi;

/// <summary>
/// What every operation gets from its endpoint metadata: the security requirement, the list
/// parameters, the <c>Idempotency-Key</c> header, request examples and described error envelopes.
/// </summary>
internal sealed class OperationTransformer : IOpenApiOperationTransformer
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            // Either scheme authenticates: two alternative requirements.
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(DocumentTransformer.ApiKeyScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(DocumentTransformer.BearerScheme, context.Document)] = [] },
            ];
        }

        operation.Parameters ??= [];
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            if (parameter is { In: ParameterLocation.Path, Name: "channelType", Schema: OpenApiSchema schema })
            {
                schema.Enum = ChannelTypes.All.Select(t => (JsonNode)JsonValue.Create(t)).ToList();
                parameter.Description ??= "The channel's type; must match the channel's.";
            }
        }

        if (metadata.OfType<ListQueryMetadata>().FirstOrDefault() is { } list)
        {
            AddListParameters(operation.Parameters, list.Fields);
        }

        if (metadata.OfType<IdempotentEndpoint>().Any())
        {
            operation.Parameters.Add(Header(IdempotencyFilter.Header,
                $"Optional. A retry with the same key and body within {IdempotencyFilter.Lifetime.TotalHours:0} hours answers the first response again instead of acting twice; " +
                $"the same key with another body is a 409. At most {IdempotencyFilter.MaxKeyLength} characters."));
        }

        if (metadata.OfType<RequestExampleMetadata>().FirstOrDefault() is { } example
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
        {
            body.Example = example.Example.DeepClone();
        }

        DescribeErrors(operation, metadata.OfType<ErrorDescriptionMetadata>().ToList());
        return Task.CompletedTask;
    }

    private static void DescribeErrors(OpenApiOperation operation, List<ErrorDescriptionMetadata> specific)
    {
        foreach (var (key, value) in operation.Responses ?? [])
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 400 || value is not OpenApiResponse response)
            {
                continue;
            }

            var particular = specific.Where(s => s.Status == status).Select(s => s.Description).ToList();
            response.Description = particular.Count > 0 ? string.Join(" ", particular) : ErrorResponses.Describe(status);
            if (response.Content?.TryGetValue("application/json", out var media) == true)
            {
                media.Example = JsonSerializer.SerializeToNode(ErrorResponses.Example(status), Json);
            }
        }
    }

    private static void AddListParameters(IList<IOpenApiParameter> parameters, ListQueryFields fields)
    {
        if (fields.Filters.Count > 0)
        {
            parameters.Add(FilterParameter(fields.Filters));
        }

        if (fields.Sorts.Count > 0)
        {
            parameters.Add(SortParameter(fields.Sorts));
        }

        parameters.Add(new OpenApiParameter
        {
            Name = "skip",
            In = ParameterLocation.Query,
            Description = "How many matching items to pass over.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Default = JsonValue.Create(0) },
        });
        parameters.Add(new OpenApiParameter
        {
            Name = "limit",
            In = ParameterLocation.Query,
            Description = "The page size.",
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Format = "int32",
                Minimum = "1",
                Maximum = ListQuery.MaxLimit.ToString(CultureInfo.InvariantCulture),
                Default = JsonValue.Create(ListQuery.DefaultLimit),
            },
        });
    }

    private static OpenApiParameter FilterParameter(IReadOnlyList<ListFilterField> filters) => new()
    {
        Name = "filter",
        In = ParameterLocation.Query,
        Style = ParameterStyle.Form,
        Explode = true,
        Description = "Repeatable, all must match: `field:operator:value`. `in` takes comma-separated values, `range` takes `from,to` (inclusive); " +
            "timestamps are ISO 8601. Fields and their operators:\n" +
            string.Join("\n", filters.Select(f => $"- `{f.Field}` ({ValueKind(f.ValueType)}): {FilterOperatorNames.Describe(f.Operators)}")),
        Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[a-z_]+:[a-z]+:.*$" } },
        Example = new JsonArray(JsonValue.Create($"{filters[0].Field}:eq:{SampleValue(filters[0].ValueType)}")),
    };

    private static OpenApiParameter SortParameter(IReadOnlyList<string> sorts) => new()
    {
        Name = "sort",
        In = ParameterLocation.Query,
        Style = ParameterStyle.Form,
        Explode = true,
        Description = $"Repeatable or comma-separated: `field`, `field:asc` or `field:desc`, applied in order; ties end in a stable order. Sortable fields: {string.Join(", ", sorts)}.",
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Items = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = sorts.SelectMany(s => new[] { s, s + ":asc", s + ":desc" }).Select(s => (JsonNode)JsonValue.Create(s)).ToList(),
            },
        },
    };

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static string ValueKind(Type type) => type switch
    {
        _ when type == typeof(Guid) => "uuid",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "date-time",
        _ when type == typeof(bool) => "boolean",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(decimal) || type == typeof(double) => "number",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName)),
        _ => "string",
    };

    private static string SampleValue(Type type) => type switch
    {
        _ when type == typeof(Guid) => "0b4f8a4e-3d6c-4f0e-9f7e-2d8f1c6a9b10",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "2026-01-01T00:00:00Z",
        _ when type == typeof(bool) => "true",
        _ when type.IsEnum => JsonNamingPolicy.SnakeCaseLower.ConvertName(Enum.GetNames(type)[0]),
        _ => "value",
    };

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions();
        ApiServiceCollectionExtensions.ConfigureJson(options);
        return options;
    }
}
