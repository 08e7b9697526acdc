using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Platform.Api.Idempotency;
using Turumba.Platform.Api.Input;
using Turumba.Platform.Api.OpenApi;

namespace Turumba.Platform.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>JSON as the API speaks it: snake_case names and enum values, unknown fields rejected.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }

    /// <summary>
    /// Refusals every request body gets, whatever its endpoint: NUL in any string, null or
    /// case-colliding keys in string maps, objects over <see cref="InputLimits.MaxObjectBytes"/>.
    /// Only for HTTP input: the bus and the account API client carry what was already accepted.
    /// </summary>
    public static void AddInputGuards(JsonSerializerOptions options)
    {
        options.Converters.Add(new InputStringConverter());
        options.Converters.Add(new StringMapConverter());
        options.Converters.Add(new JsonObjectInputConverter());
    }

    public static IServiceCollection AddTurumbaApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            ConfigureJson(o.SerializerOptions);
            AddInputGuards(o.SerializerOptions);
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<DocumentTransformer>();
            o.AddOperationTransformer<OperationTransformer>();
            o.AddSchemaTransformer<InputSchemaTransformer>();
            o.AddSchemaTransformer<ValidatorSchemaTransformer>();
            o.AddSchemaTransformer<PhoneNumberSchemaTransformer>();
            o.AddSchemaTransformer<EnvelopeSchemaTransformer>();
        });
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        return services;
    }

    /// <summary>
    /// Error envelopes for exceptions and for bare status codes (unknown route, 405, 401 …), and
    /// a re-readable body for requests with an <c>Idempotency-Key</c> (their body is fingerprinted).
    /// </summary>
    public static IApplicationBuilder UseTurumbaApi(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseRequestBodyLimit();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(IdempotencyFilter.Header))
            {
                context.Request.EnableBuffering();
            }

            return next(context);
        });
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            var message = status switch
            {
                StatusCodes.Status404NotFound => $"No endpoint at {http.Request.Method} {http.Request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}.",
                StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                StatusCodes.Status415UnsupportedMediaType =>
                    $"{http.Request.Method} {http.Request.Path} does not take a body of type '{http.Request.ContentType}'; its request body in /openapi/v1.json names the types it takes.",
                _ => $"The request failed with status {status}.",
            };
            return ApiErrorWriter.WriteAsync(http, status, ApiErrorCodes.ForStatus(status), message);
        });
        return app;
    }
}
