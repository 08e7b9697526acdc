using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Turumba.Platform.Tenancy;

namespace Turumba.Platform.Api.OpenApi;

/// <summary>The document's title and overview, and the two ways an API key is sent.</summary>
internal sealed class DocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";

    private const string Overview = """
        Turumba Dispatch sends messages to contacts over SMS, SMPP, Telegram, WhatsApp and other channels, one by one,
        to contact groups, or on a schedule, and receives replies and delivery reports through webhooks.

        **Authentication.** Every `/v1` call carries an API key, either in the `X-Api-Key` header or as
        `Authorization: Bearer <key>`. A key belongs to one account; everything it sees and creates is that account's.

        **Envelopes.** Success: `{"success": true, "data": ..., "message": null}`; lists add
        `"meta": {"total", "skip", "limit"}`. Errors: `{"success": false, "error": "<code>", "message": "...", "details": ...}`
        with the codes listed on each response.

        **Lists** take `filter=field:operator:value` (repeatable), `sort=field:asc|desc`, `skip` and `limit`; each list
        operation names its fields and operators.

        **Retries.** Creating operations that list an `Idempotency-Key` header answer a retry with the same key and
        body with the first response instead of acting twice.

        JSON names and enum values are snake_case; unknown fields are refused.
        """;

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Turumba Dispatch API",
            Version = "v1",
            Description = Overview,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            Name = ApiKeyAuthenticationHandler.ApiKeyHeader,
            In = ParameterLocation.Header,
            Description = "The account's API key (trb_…).",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key as a bearer token: `Authorization: Bearer <key>`.",
        };
        EnvelopeSchemaTransformer.UnwrapData(document);
        OptionalUnvalidatedMembers(document, context);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A request body without a validator checks its members in the endpoint; the generator calls each
    /// required because the record's constructor takes it. There a member that may be null is optional.
    /// </summary>
    private static void OptionalUnvalidatedMembers(OpenApiDocument document, OpenApiDocumentTransformerContext context)
    {
        using var scope = context.ApplicationServices.CreateScope();
        var bodies = context.DescriptionGroups.SelectMany(g => g.Items).SelectMany(d => d.ParameterDescriptions)
            .Where(p => p.Source == BindingSource.Body)
            .Select(p => p.Type)
            .Where(t => scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(t)) is null)
            .Select(t => t.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (bodies.Contains(name) && value is OpenApiSchema { Required: { } required, Properties: { } properties })
            {
                foreach (var member in required.Where(m => properties.TryGetValue(m, out var property) && MayBeNull(property)).ToList())
                {
                    required.Remove(member);
                }
            }
        }
    }

    private static bool MayBeNull(IOpenApiSchema schema) =>
        schema is OpenApiSchema concrete
        && ((concrete.Type is { } type && type.HasFlag(JsonSchemaType.Null))
            || concrete.OneOf?.Any(o => o is OpenApiSchema { Type: JsonSchemaType.Null }) == true);
}
